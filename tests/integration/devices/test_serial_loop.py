"""SerialScanner over pyserial's loop:// URL: the same code path as a real port, with no device."""

from __future__ import annotations

import itertools
import time
from typing import Any

import serial

from devices.scan import GS, RejectedFrame, Scan, ScannerEvent, ScannerStatus
from devices.serial_scanner import SerialScanner


def collect(scanner: SerialScanner, count: int, within: float = 3.0) -> list[ScannerEvent]:
    events: list[ScannerEvent] = []
    deadline = time.monotonic() + within
    while len(events) < count and time.monotonic() < deadline:
        event = scanner.read(0.1)
        if event is not None:
            events.append(event)
    return events


class LoopOpener:
    """serial_for_url for loop://, keeping the port so the test can write into it (loop:// echoes writes)."""

    def __init__(self) -> None:
        self.port: Any = None
        self.kwargs: dict[str, Any] = {}

    def __call__(self, url: str, **kwargs: Any) -> Any:
        self.kwargs = kwargs
        self.port = serial.serial_for_url(url, **kwargs)
        return self.port


def test_loop_port_delivers_scans_with_aim_and_gs_and_opens_exclusively() -> None:
    opener = LoopOpener()
    scanner = SerialScanner.from_spec("loop://?suffix=CRLF&aim=auto")
    scanner._opener = opener
    (status,) = collect(scanner, 1)
    assert isinstance(status, ScannerStatus) and status.state == "connected"
    opener.port.write(b"]C10104006381333931\x1d10LOT7\r\n]E04006381333931\r\n")
    events = collect(scanner, 2)
    scanner.close()
    first, second = events
    assert isinstance(first, Scan) and isinstance(second, Scan)
    assert (first.text, first.aim, first.gs1) == (f"0104006381333931{GS}10LOT7", "]C1", True)
    assert (second.text, second.symbology, second.source) == ("4006381333931", "ean13", "serial:loop://")
    assert opener.kwargs["exclusive"] is True


def test_first_event_is_connected_and_garbage_is_rejected_without_stopping() -> None:
    opener = LoopOpener()
    scanner = SerialScanner("loop://", opener=opener)
    (status,) = collect(scanner, 1)
    assert isinstance(status, ScannerStatus) and status.state == "connected"
    opener.port.write(b"\xff\xfe\rGOOD-1\r")
    events = collect(scanner, 2)
    scanner.close()
    assert isinstance(events[0], RejectedFrame) and "not valid utf-8" in events[0].reason
    assert isinstance(events[1], Scan) and events[1].text == "GOOD-1"


def test_read_returns_none_within_its_timeout_when_nothing_arrives() -> None:
    scanner = SerialScanner("loop://")
    collect(scanner, 1)
    started = time.monotonic()
    assert scanner.read(0.2) is None
    assert 0.15 <= time.monotonic() - started < 1.0
    scanner.close()


def test_a_port_that_cannot_open_is_reported_disconnected_and_retried_with_backoff() -> None:
    attempts: list[float] = []

    def failing(url: str, **kwargs: Any) -> Any:
        attempts.append(time.monotonic())
        raise serial.SerialException(f"could not open port {url}: [Errno 2] No such file or directory")

    scanner = SerialScanner("/dev/ttyACM9", opener=failing, reconnect_max_seconds=0.4)
    events = collect(scanner, 5, within=2.0)
    scanner.close()
    assert len(events) == 1, "disconnected is reported once, not on every attempt"
    (status,) = events
    assert isinstance(status, ScannerStatus) and status.state == "disconnected"
    assert "No such file" in status.detail
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[0] < 0.3 and max(gaps) <= 0.4 + 0.15, gaps  # grows, then capped at reconnect_max_seconds
    assert gaps[2] > gaps[0] * 1.5


def test_close_from_another_call_stops_reads() -> None:
    scanner = SerialScanner("loop://")
    collect(scanner, 1)
    scanner.close()
    assert scanner.read(0.5) is None
    assert not scanner.connected
