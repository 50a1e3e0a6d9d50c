"""What every label printer driver offers: `LabelPrinter`, its `PrinterStatus`, and the errors `send` raises.

The errors say two things the station needs: what the operator should do (`advice`), and whether the label may
have come out anyway (`maybe_printed`). A job whose send raised `PrinterUnavailable` was not handed over at
all and is safe to send again; one that raised `PrintInterrupted` may or may not have printed and must never
be sent again without someone deciding (the rule of app/station/services/print_queue.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class PrinterError(Exception):
    """A job could not be handed to the printer for certain; the message says what happened and what to do."""

    #: True when some or all of the job may have reached the printer (never resend it silently)
    maybe_printed = False

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(f"{problem}: {advice}")
        self.problem = problem
        self.advice = advice


class PrinterUnavailable(PrinterError):
    """The printer could not be reached or refused the job before any byte of it went out: nothing printed."""


class PrintInterrupted(PrinterError):
    """The connection was lost while the job was being sent: the label may or may not have printed."""

    maybe_printed = True


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """One look at a printer.

    `reachable` is whether the printer (or its spooler, or its folder) answered at all. The three flags are
    ``None`` when the printer does not report them (a raw TCP printer that ignores ``~HS`` is "reachable,
    status unknown"), else what it reported. `detail` is a short sentence for the status bar.
    """

    reachable: bool
    paper_out: bool | None = None
    head_open: bool | None = None
    paused: bool | None = None
    detail: str = ""

    @property
    def known(self) -> bool:
        """Whether the printer reported its condition (the flags are not None)."""
        return self.paper_out is not None and self.head_open is not None and self.paused is not None

    @property
    def ready(self) -> bool:
        """Reachable and not known to be out of paper, open or paused (an unknown status counts as ready)."""
        return self.reachable and not (self.paper_out or self.head_open or self.paused)


@runtime_checkable
class LabelPrinter(Protocol):
    """A printer a station hands finished jobs to (ZPL for thermal printers, PDF for office printers).

    Drivers take their settings as arguments (`open_printer(spec)` builds one from a spec string) and open
    their connection per call, so a printer switched off and on again needs nothing from the caller.
    """

    #: the spec the printer was opened from, for messages
    spec: str

    def send(self, job: bytes) -> None:
        """Hand the whole job to the printer, returning once it has it.

        Raises `PrinterUnavailable` when nothing was sent (safe to retry later) and `PrintInterrupted` when
        the connection went away part-way (the label may have printed; do not resend without a decision).
        """
        ...

    def status(self) -> PrinterStatus:
        """Check the printer now, within a short timeout; never raises for an absent printer."""
        ...

    def close(self) -> None:
        """Release whatever the driver holds; the printer may be used again afterwards."""
        ...
