"""`--scanner stdin`: scans read line by line from standard input, for the load simulator and fault tests.

A reader thread feeds a `KeyboardScanner` queue, so the headless runner reads stdin exactly as it reads any
other scanner. One scan per line; ``\\xNN`` escapes (``\\x1d`` for GS) and a leading AIM identifier
(``]C1…``) work as in script files. End of input makes the scanner `exhausted`: the station drains its outbox
and exits, as after the last line of a script.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import TextIO

from app.domain.symbology import is_gs1_aim, split_aim, symbology_for_aim
from devices.keyboard import KeyboardScanner
from devices.scan import Scan, ScannerEvent

SPEC = "stdin"
_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})")


def scan_from_line(line: str, source: str = SPEC) -> Scan | None:
    """The scan one input line stands for, or None for a blank line."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line.strip())
    if not text:
        return None
    aim, text = split_aim(text)
    symbology = symbology_for_aim(aim, text).name if aim else None
    return Scan(text, text.encode("utf-8"), symbology, aim, is_gs1_aim(aim), source)


class StdinScanner:
    """Scans from a text stream (standard input by default); `exhausted` after end of input."""

    source = SPEC

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdin
        self._queue = KeyboardScanner()
        self._eof = threading.Event()
        self._pending = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, name="stdin-scanner", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        for line in self._stream:
            scan = scan_from_line(line)
            if scan is not None:
                with self._lock:
                    self._pending += 1
                self._queue.push(scan)
        self._eof.set()

    @property
    def exhausted(self) -> bool:
        """True once input has ended and every scan from it has been read."""
        with self._lock:
            return self._eof.is_set() and self._pending == 0

    def read(self, timeout: float) -> ScannerEvent | None:
        event = self._queue.read(timeout)
        if event is not None:
            with self._lock:
                self._pending -= 1
        return event

    def close(self) -> None:
        self._queue.close()
