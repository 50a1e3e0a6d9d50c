"""The ZPL II ``~HS`` (host status return) answer: three STX…ETX CR LF strings of comma-separated fields.

Field positions, from the ZPL II Programming Guide (``~HS``), counted from 0 after splitting on commas:

- string 1 ``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l``: 0 communication settings, **1 paper out flag**, **2 pause
  flag**, 3 label length in dots, 4 formats in the receive buffer, 5 buffer full flag, 6 communications
  diagnostic mode, 7 partial format flag, 8 unused, 9 corrupt RAM flag, 10 under temperature, 11 over
  temperature;
- string 2 ``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www``: 0 function settings, 1 unused, **2 head up flag**, 3 ribbon
  out flag, 4 thermal transfer mode, 5 print mode, 6 print width mode, 7 label waiting flag, 8 labels
  remaining in the batch, 9 format while printing, 10 graphic images stored;
- string 3 ``xxxx,y``: 0 password, 1 static RAM installed.

A flag is ``1`` when set. tests/unit/devices/test_printer_host_status.py checks these positions on a recorded
answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.printers.base import PrinterStatus

#: what the host sends; the printer answers at once, even between labels
HS_QUERY = b"~HS"
STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True, slots=True)
class HostStatus:
    """The flags Aisle uses from a ``~HS`` answer, plus the rest of what it said."""

    paper_out: bool
    paused: bool
    head_open: bool
    ribbon_out: bool
    formats_waiting: int
    labels_remaining: int


def answer_complete(data: bytes) -> bool:
    """Whether `data` holds a whole answer (three ETX), so a reader can stop waiting."""
    return data.count(ETX) >= 3


def parse_host_status(data: bytes) -> HostStatus:
    """Read the flags from a ``~HS`` answer; ValueError when `data` is not one (too few strings or fields)."""
    strings = []
    for chunk in data.split(STX)[1:]:
        body, sep, _ = chunk.partition(ETX)
        if sep:
            strings.append(body.decode("ascii", "replace").split(","))
    if len(strings) < 2:
        raise ValueError(f"not a ~HS answer (expected three STX…ETX strings): {data[:80]!r}")
    first, second = strings[0], strings[1]
    if len(first) < 5 or len(second) < 9:
        raise ValueError(f"a ~HS answer with too few fields: {data[:80]!r}")
    try:
        return HostStatus(
            paper_out=flag(first[1]),
            paused=flag(first[2]),
            head_open=flag(second[2]),
            ribbon_out=flag(second[3]),
            formats_waiting=int(first[4]),
            labels_remaining=int(second[8]),
        )
    except ValueError:
        raise ValueError(f"a ~HS answer with a field that is not a number: {data[:80]!r}") from None


def flag(field: str) -> bool:
    """A ``0``/``1`` flag field; ValueError for anything else."""
    value = field.strip()
    if value not in ("0", "1"):
        raise ValueError(f"flag {field!r}")
    return value == "1"


def describe(status: HostStatus) -> str:
    """The status bar's words for a host status: what stops printing first."""
    problems = [
        words
        for set_, words in (
            (status.head_open, "head open"),
            (status.paper_out, "paper out"),
            (status.ribbon_out, "ribbon out"),
            (status.paused, "paused"),
        )
        if set_
    ]
    return ", ".join(problems) if problems else "ready"


def printer_status(status: HostStatus) -> PrinterStatus:
    """A reachable printer's `PrinterStatus` from its ``~HS`` answer."""
    return PrinterStatus(
        reachable=True,
        paper_out=status.paper_out,
        head_open=status.head_open,
        paused=status.paused,
        detail=describe(status),
    )


def status_from_answer(answer: bytes) -> PrinterStatus:
    """The status of a printer that was reached and gave `answer` to ``~HS`` (maybe nothing or garbage)."""
    if not answer:
        return PrinterStatus(reachable=True, detail="reachable, status unknown (no answer to ~HS)")
    try:
        return printer_status(parse_host_status(answer))
    except ValueError:
        return PrinterStatus(reachable=True, detail="reachable, status unknown (not a ~HS answer)")
