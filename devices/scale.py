"""Bench scales on a serial port, opened through pyserial's `serial_for_url` like the scanners.

`/dev/ttyUSB0`, `loop://`, `socket://host:port` and ptys share one code path; the port is opened exclusively
(``textual serve`` runs one process per browser tab). Two protocols: ``nci`` polls with ``W<CR>`` and reads
the reply up to ETX; ``continuous`` reads the lines a scale streams by itself and keeps the newest. A lost
device turns the state to "disconnected" and is reopened with exponential back-off; frames that are not
readings are kept in `ignored` with a reason and never raise.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import serial

from devices.scale_frames import (
    NCI_END,
    NCI_REQUEST,
    IgnoredFrame,
    Parsed,
    ScaleReading,
    parse_continuous_line,
    parse_nci_reply,
)

PROTOCOLS = ("nci", "continuous")
FIRST_RETRY_SECONDS = 0.1
POLL_SECONDS = 0.05  # longest single blocking read, so close() and timeouts are honoured promptly
NCI_REPLY_SECONDS = 0.15  # a reply is awaited at least this long, even past the caller's timeout
MAX_LINE_BYTES = 80  # a streamed "line" longer than this without CR/LF is noise

Opener = Callable[..., Any]


class SerialScale:
    """A scale on a serial port (real, USB-serial or a pyserial URL); implements the terminal's Scale port."""

    def __init__(
        self,
        url: str,
        *,
        protocol: str = "nci",
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        poll_seconds: float = 0.2,
        reconnect_max_seconds: float = 5.0,
        opener: Opener = serial.serial_for_url,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol={protocol} is not one of {', '.join(PROTOCOLS)}")
        self.url, self.protocol, self.baudrate = url, protocol, baudrate
        self.bytesize, self.parity = bytesize, parity
        self.source = f"serial:{url}"
        self.poll_seconds = poll_seconds
        self.reconnect_max_seconds = reconnect_max_seconds
        self.state = "connecting"  # then "connected" or "disconnected"
        self.detail = ""  # why it is disconnected
        self.last: ScaleReading | None = None  # the newest reading, stable or not
        self.ignored: deque[IgnoredFrame] = deque(maxlen=50)  # recent frames that were not readings
        self._opener = opener
        self._port: Any = None
        self._buffer = bytearray()
        self._closed = threading.Event()
        self._retry_at = 0.0
        self._backoff = FIRST_RETRY_SECONDS
        self._next_request = 0.0

    @property
    def connected(self) -> bool:
        """True while the port is open."""
        return self._port is not None

    def read_grams(self, timeout: float) -> int | None:
        """The stable weight in grams, or None (nothing on the scale, moving, overloaded, no answer)."""
        reading = self.read(timeout)
        if reading is None or not reading.stable or reading.grams is None or reading.grams <= 0:
            return None
        return reading.grams

    def read(self, timeout: float) -> ScaleReading | None:
        """The newest reading that arrives within `timeout` seconds (stable or not), or None."""
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self._closed.is_set():
            now = time.monotonic()
            if self._port is None:
                if now >= self._retry_at:
                    self._try_open(now)
                    continue
                if now >= deadline:
                    return None
                self._closed.wait(min(self._retry_at, deadline) - now)
                continue
            try:
                return self._ask_nci(deadline) if self.protocol == "nci" else self._read_stream(deadline)
            except (OSError, serial.SerialException, TypeError, AttributeError) as exc:
                # TypeError/AttributeError: pyserial on a port closed under it by close() from another thread
                self._lost(exc)
                return None
        return None

    def close(self) -> None:
        """Stop reading and release the port; safe to call from another thread and more than once."""
        self._closed.set()
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()

    # --- protocols ------------------------------------------------------------------------------------

    def _ask_nci(self, deadline: float) -> ScaleReading | None:
        wait = self._next_request - time.monotonic()
        if wait > 0:  # do not poll faster than poll_seconds, however often we are asked
            self._closed.wait(min(wait, max(deadline - time.monotonic(), 0.0)))
            if time.monotonic() < self._next_request:
                return None
        port = self._port
        if self._buffer or port.in_waiting:  # a late or partial answer to an earlier request
            late = bytes(self._buffer) + port.read(port.in_waiting)
            self._ignore(IgnoredFrame(late, "late or incomplete reply discarded"))
            self._buffer.clear()
        port.write(NCI_REQUEST)
        sent = time.monotonic()
        self._next_request = sent + self.poll_seconds
        reply_by = max(deadline, sent + NCI_REPLY_SECONDS)
        while (end := self._buffer.find(NCI_END)) < 0:
            remaining = reply_by - time.monotonic()
            if remaining <= 0 or self._closed.is_set():
                return None  # the partial reply, if any, is discarded before the next request
            self._fill(port, remaining)
        frame = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return self._keep(parse_nci_reply(frame))

    def _read_stream(self, deadline: float) -> ScaleReading | None:
        port, newest = self._port, None
        while not self._closed.is_set():
            self._fill(port, deadline - time.monotonic())
            for line in self._complete_lines():
                newest = self._keep(parse_continuous_line(line)) or newest
            if (newest is not None and not port.in_waiting) or time.monotonic() >= deadline:
                break
        return newest

    def _fill(self, port: Any, remaining: float) -> None:
        port.timeout = min(POLL_SECONDS, max(remaining, 0.0))
        data = port.read(port.in_waiting or 1)
        if data and port.in_waiting:
            data += port.read(port.in_waiting)
        self._buffer += data

    def _complete_lines(self) -> list[bytes]:
        *lines, rest = bytes(self._buffer).replace(b"\r", b"\n").split(b"\n")
        self._buffer[:] = rest
        if len(rest) > MAX_LINE_BYTES:
            self._ignore(IgnoredFrame(rest, f"noise: {len(rest)} bytes without an end of line"))
            self._buffer.clear()
        return [line for line in lines if line.strip()]

    def _keep(self, parsed: Parsed) -> ScaleReading | None:
        if isinstance(parsed, IgnoredFrame):
            self._ignore(parsed)
            return None
        self.last = parsed
        return parsed

    def _ignore(self, frame: IgnoredFrame) -> None:
        self.ignored.append(frame)

    # --- plug and unplug ------------------------------------------------------------------------------

    def _try_open(self, now: float) -> None:
        try:
            port = self._opener(
                self.url,
                baudrate=self.baudrate,
                bytesize=self.bytesize,
                parity=self.parity,
                timeout=POLL_SECONDS,
                exclusive=True,
                do_not_open=True,
            )
            port.open()
        except (OSError, serial.SerialException, ValueError) as exc:
            self._retry_at = now + self._backoff
            self._backoff = min(self._backoff * 2, self.reconnect_max_seconds)
            self.state, self.detail = "disconnected", _describe(exc)
            return
        if self._closed.is_set():
            port.close()
            return
        self._port, self._backoff = port, FIRST_RETRY_SECONDS
        self._buffer.clear()
        self.state, self.detail = "connected", ""

    def _lost(self, exc: BaseException) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()
        if self._buffer:
            self._ignore(IgnoredFrame(bytes(self._buffer), "incomplete: the scale was lost mid-frame"))
            self._buffer.clear()
        self.last = None
        self.state, self.detail = "disconnected", _describe(exc)
        self._retry_at = time.monotonic() + FIRST_RETRY_SECONDS
        self._backoff = FIRST_RETRY_SECONDS * 2


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
