"""Serial and USB-CDC scanners, opened through pyserial's `serial_for_url` so every URL shares one code path.

`/dev/ttyACM0`, `loop://`, `socket://host:port` and `rfc2217://host:port` are all opened the same way,
exclusively where the port type supports it (``textual serve`` starts one process per browser tab). A lost
device is reported as `ScannerStatus("disconnected")` and reopened with exponential back-off; frames already
received are queued and delivered before the status change.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import serial

from devices.framing import SUFFIXES, FrameEvent, Framer, FramingConfig, parse_bytes_option
from devices.scan import RejectedFrame, ScannerEvent, ScannerStatus
from devices.spec import ScannerSpecError, check_known, option_float, option_int, split_query

#: our options in the spec's query string; everything else in PASSTHROUGH goes to the pyserial URL handler
OPTIONS = {"baudrate", "suffix", "prefix", "aim", "max_frame_bytes", "gap_ms", "stale_ms", "encoding"}
PASSTHROUGH = {"logging", "ign_set_control", "poll_modem", "timeout"}
FIRST_RETRY_SECONDS = 0.1
POLL_SECONDS = 0.05  # longest single blocking read, so close() and timeouts are honoured promptly

Opener = Callable[..., Any]


class SerialScanner:
    """A scanner on a serial port (real, USB-CDC or a pyserial URL); see module docstring."""

    def __init__(
        self,
        url: str,
        *,
        framing: FramingConfig | None = None,
        baudrate: int = 9600,
        reconnect_max_seconds: float = 5.0,
        opener: Opener = serial.serial_for_url,
    ) -> None:
        self.url = url
        self.source = f"serial:{url}"
        self.baudrate = baudrate
        self.reconnect_max_seconds = reconnect_max_seconds
        self._framer = Framer(framing or FramingConfig(), self.source)
        self._opener = opener
        self._port: Any = None
        self._events: deque[ScannerEvent] = deque()
        self._closed = threading.Event()
        self._retry_at = 0.0
        self._backoff = FIRST_RETRY_SECONDS
        self._ever_connected = False
        self._reported_down = False

    @classmethod
    def from_spec(
        cls,
        target: str,
        *,
        max_frame_bytes: int = 512,
        frame_idle_ms: float = 500.0,
        reconnect_max_seconds: float = 5.0,
    ) -> SerialScanner:
        """Build from the part after ``serial:``, e.g. ``/dev/ttyACM0?baudrate=9600&suffix=CRLF&aim=auto``."""
        url, options = split_query(target)
        if not url:
            raise ScannerSpecError("serial: needs a device or pyserial URL")
        check_known(options, OPTIONS | PASSTHROUGH, "serial")
        suffix = options.get("suffix", "CR").upper()
        if suffix not in SUFFIXES:
            raise ScannerSpecError(f"suffix={suffix} is not one of {', '.join(SUFFIXES)}")
        try:
            framing = FramingConfig(
                suffix=suffix,
                prefix=parse_bytes_option(options.get("prefix", "")),
                aim=options.get("aim", "auto").lower(),
                max_frame_bytes=option_int(options, "max_frame_bytes", max_frame_bytes),
                gap_seconds=option_float(options, "gap_ms", 50, minimum=1) / 1000,
                stale_seconds=option_float(options, "stale_ms", frame_idle_ms, minimum=1) / 1000,
                encoding=options.get("encoding", "utf-8"),
            )
        except (ValueError, LookupError) as exc:
            raise ScannerSpecError(f"serial option: {exc}") from None
        passthrough = "&".join(f"{k}={v}" for k, v in options.items() if k in PASSTHROUGH)
        return cls(
            f"{url}?{passthrough}" if passthrough else url,
            framing=framing,
            baudrate=option_int(options, "baudrate", 9600),
            reconnect_max_seconds=reconnect_max_seconds,
        )

    @property
    def connected(self) -> bool:
        """True while the port is open."""
        return self._port is not None

    def read(self, timeout: float) -> ScannerEvent | None:
        """The next scan, rejected frame or status change, waiting at most `timeout` seconds."""
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self._closed.is_set():
            if self._events:
                return self._events.popleft()
            now = time.monotonic()
            if self._port is None:
                if now >= self._retry_at:
                    self._try_open(now)
                    continue
                if now >= deadline:
                    return None
                self._closed.wait(min(self._retry_at, deadline) - now)
                continue
            self._read_port(min(POLL_SECONDS, max(deadline - now, 0.0)))
            if not self._events and time.monotonic() >= deadline:
                return None
        return None

    def close(self) -> None:
        """Stop reading and release the port; safe to call from another thread and more than once."""
        self._closed.set()
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()

    def _try_open(self, now: float) -> None:
        try:
            port = self._opener(
                self.url, baudrate=self.baudrate, timeout=POLL_SECONDS, exclusive=True, do_not_open=True
            )
            port.open()
        except (OSError, serial.SerialException, ValueError) as exc:
            self._retry_at = now + self._backoff
            self._backoff = min(self._backoff * 2, self.reconnect_max_seconds)
            if not self._reported_down:
                self._reported_down = True
                self._events.append(ScannerStatus("disconnected", self.source, _describe(exc)))
            return
        if self._closed.is_set():
            port.close()
            return
        self._port = port
        self._backoff = FIRST_RETRY_SECONDS
        self._reported_down = False
        self._ever_connected = True
        self._events.append(ScannerStatus("connected", self.source))

    def _read_port(self, timeout: float) -> None:
        port = self._port
        try:
            port.timeout = timeout
            data = port.read(port.in_waiting or 1)
            if data and port.in_waiting:
                data += port.read(port.in_waiting)
        except (OSError, serial.SerialException, TypeError, AttributeError) as exc:
            # TypeError/AttributeError: pyserial on a port closed under it by close() from another thread
            self._lost(exc)
            return
        now = time.monotonic()
        self._queue(self._framer.feed(data, now) if data else self._framer.poll(now))

    def _lost(self, exc: BaseException) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()
        if self._closed.is_set():
            return
        self._queue(self._framer.poll(float("inf")))
        self._events.append(ScannerStatus("disconnected", self.source, _describe(exc)))
        self._reported_down = True
        self._retry_at = time.monotonic() + FIRST_RETRY_SECONDS
        self._backoff = FIRST_RETRY_SECONDS * 2

    def _queue(self, events: list[FrameEvent]) -> None:
        for event in events:
            if isinstance(event, RejectedFrame) and not self._port and "incomplete" in event.reason:
                event = RejectedFrame(
                    event.raw, "incomplete frame: the device was lost mid-frame", event.source
                )
            self._events.append(event)


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
