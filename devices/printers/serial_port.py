"""Serial printers (``serial:/dev/ttyUSB0?baud=9600``, or any pyserial URL: ``loop://``, ``socket://…``).

The port is opened for each job and each status check (exclusively where the port type supports it, so a
scanner on the same machine cannot take it), which also makes a replugged printer work again by itself. A
write that fails or stalls past `write_timeout` part-way is `PrintInterrupted`: the printer may have taken
part of it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import serial

from devices.printers.base import PrinterStatus, PrinterUnavailable, PrintInterrupted
from devices.printers.host_status import HS_QUERY, answer_complete, status_from_answer

ADVICE_OFFLINE = "check the printer is switched on and its cable plugged in; the job stays queued"
ADVICE_CHECK = "look at the printer: if the label did not come out, reprint it"

Opener = Callable[..., Any]


class SerialPrinter:
    """A printer on a serial port or anything pyserial's `serial_for_url` opens."""

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        rtscts: bool = False,
        xonxoff: bool = False,
        write_timeout: float = 10.0,
        status_timeout: float = 1.0,
        opener: Opener = serial.serial_for_url,
    ) -> None:
        self.url = url
        self.spec = f"serial:{url}"
        self.settings = {
            "baudrate": baudrate,
            "bytesize": bytesize,
            "parity": parity,
            "stopbits": stopbits,
            "rtscts": rtscts,
            "xonxoff": xonxoff,
        }
        self.write_timeout = write_timeout
        self.status_timeout = status_timeout
        self._opener = opener

    def _open(self) -> Any:
        try:
            return self._opener(
                self.url, timeout=0.05, write_timeout=self.write_timeout, exclusive=True, **self.settings
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterUnavailable(f"cannot open {self.spec} ({exc})", ADVICE_OFFLINE) from exc

    def send(self, job: bytes) -> None:
        """Write `job` and wait for the port to drain; raises PrinterError (see the module docstring)."""
        port = self._open()
        try:
            written = port.write(job)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrintInterrupted(f"{self.spec} went away mid-job ({exc})", ADVICE_CHECK) from exc
        finally:
            close_quietly(port)
        if written is not None and written != len(job):
            raise PrintInterrupted(f"{self.spec} took {written} of {len(job)} bytes", ADVICE_CHECK)

    def status(self) -> PrinterStatus:
        """Open the port (reachable or not), then ask ``~HS`` and wait `status_timeout` for the answer."""
        try:
            port = self._open()
        except PrinterUnavailable as exc:
            return PrinterStatus(reachable=False, detail=exc.problem)
        answer = b""
        try:
            port.reset_input_buffer()
            port.write(HS_QUERY)
            deadline = time.monotonic() + self.status_timeout
            while not answer_complete(answer) and time.monotonic() < deadline:
                answer += port.read(256)
        except (serial.SerialException, OSError) as exc:
            return PrinterStatus(reachable=False, detail=f"{self.spec} went away ({exc})")
        finally:
            close_quietly(port)
        return status_from_answer(answer)

    def close(self) -> None:
        """Nothing held between jobs."""


def close_quietly(port: Any) -> None:
    """Close a port that may already be gone."""
    with contextlib.suppress(serial.SerialException, OSError):
        port.close()
