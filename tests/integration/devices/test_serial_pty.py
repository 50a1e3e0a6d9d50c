"""SerialScanner on real pty pairs (pyserial's POSIX port class): framing, exclusivity, unplug and replug."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.scan import RejectedFrame, Scan, ScannerEvent, ScannerStatus
from devices.serial_scanner import SerialScanner

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX ptys")


def collect(scanner: SerialScanner, count: int, within: float = 3.0) -> list[ScannerEvent]:
    events: list[ScannerEvent] = []
    deadline = time.monotonic() + within
    while len(events) < count and time.monotonic() < deadline:
        event = scanner.read(0.1)
        if event is not None:
            events.append(event)
    return events


class FakeScannerDevice:
    """A pty whose slave stands in for /dev/ttyACM0, reached through a symlink that 'unplug' removes."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.plug()

    def plug(self) -> None:
        self.master, slave = os.openpty()
        target = os.ttyname(slave)
        os.close(slave)
        self.link.unlink(missing_ok=True)
        self.link.symlink_to(target)

    def unplug(self) -> None:
        os.close(self.master)
        self.master = -1
        self.link.unlink()

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.master >= 0:
            os.close(self.master)


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeScannerDevice]:
    dev = FakeScannerDevice(tmp_path / "ttyACM0")
    yield dev
    dev.close()


def test_pty_scanner_frames_cr_suffixed_scans(device: FakeScannerDevice) -> None:
    scanner = SerialScanner.from_spec(f"{device.link}?baudrate=115200&suffix=CR")
    try:
        (status,) = collect(scanner, 1)
        assert isinstance(status, ScannerStatus) and status.state == "connected"
        device.send(b"]E04006381333931\rA-03-02-1\r")
        first, second = collect(scanner, 2)
    finally:
        scanner.close()
    assert isinstance(first, Scan) and (first.text, first.aim) == ("4006381333931", "]E0")
    assert isinstance(second, Scan) and second.text == "A-03-02-1"


def test_a_second_process_cannot_open_the_same_port(device: FakeScannerDevice) -> None:
    first = SerialScanner(str(device.link))
    second = SerialScanner(str(device.link))
    try:
        (ok,) = collect(first, 1)
        (refused,) = collect(second, 1)
    finally:
        first.close()
        second.close()
    assert isinstance(ok, ScannerStatus) and ok.state == "connected"
    assert isinstance(refused, ScannerStatus) and refused.state == "disconnected"
    assert "lock" in refused.detail.lower()


def test_unplug_is_reported_framed_scans_are_kept_and_replug_reconnects(
    device: FakeScannerDevice,
) -> None:
    scanner = SerialScanner(str(device.link), reconnect_max_seconds=0.3)
    try:
        collect(scanner, 1)
        device.send(b"FIRST-1\rSECOND-2\rPARTI")
        (first,) = collect(scanner, 1)
        device.unplug()
        second, partial, lost = collect(scanner, 3)
        assert collect(scanner, 1, within=0.8) == [], "no repeated status while the device is away"
        device.plug()
        (back,) = collect(scanner, 1, within=3.0)
        device.send(b"THIRD-3\r")
        (third,) = collect(scanner, 1)
    finally:
        scanner.close()
    assert isinstance(first, Scan) and first.text == "FIRST-1"
    assert isinstance(second, Scan) and second.text == "SECOND-2", (
        "a frame received before the unplug is kept"
    )
    assert (
        isinstance(partial, RejectedFrame) and partial.raw == b"PARTI" and "lost mid-frame" in partial.reason
    )
    assert isinstance(lost, ScannerStatus) and lost.state == "disconnected" and lost.detail
    assert isinstance(back, ScannerStatus) and back.state == "connected"
    assert isinstance(third, Scan) and third.text == "THIRD-3"


def test_reconnect_happens_within_the_back_off_cap(device: FakeScannerDevice) -> None:
    scanner = SerialScanner(str(device.link), reconnect_max_seconds=0.4)
    try:
        collect(scanner, 1)
        device.unplug()
        collect(scanner, 1)
        assert collect(scanner, 1, within=1.5) == []  # retrying all along: the back-off reaches its cap
        device.plug()
        started = time.monotonic()
        (back,) = collect(scanner, 1, within=3.0)
        waited = time.monotonic() - started
    finally:
        scanner.close()
    assert isinstance(back, ScannerStatus) and back.state == "connected"
    assert waited < 0.4 + 0.25
