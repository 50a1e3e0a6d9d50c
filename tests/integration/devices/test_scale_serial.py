"""SerialScale on real pty pairs (pyserial's POSIX port class): NCI polling, streaming, unplug and replug."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.scale import SerialScale
from devices.scale_factory import open_scale


class SimulatedScale:
    """A pty whose slave stands in for /dev/ttyUSB0 (through a symlink 'unplug' removes).

    In NCI mode a thread answers every ``W<CR>`` with `reply` (weight line and status bytes, ETX appended).
    """

    def __init__(self, link: Path, nci: bool) -> None:
        self.link, self.nci = link, nci
        self.reply = b"\n  0.000kg\r\n20\r"
        self.requests = 0
        self.master = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plug()

    def plug(self) -> None:
        self.master, slave = os.openpty()
        target = os.ttyname(slave)
        os.close(slave)
        self.link.unlink(missing_ok=True)
        self.link.symlink_to(target)
        if self.nci:
            self._stop.clear()
            self._thread = threading.Thread(target=self._answer, args=(self.master,), daemon=True)
            self._thread.start()

    def _answer(self, fd: int) -> None:
        pending = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                pending += os.read(fd, 64)
            except OSError:  # no process has the port open (yet): nothing to answer
                self._stop.wait(0.02)
                continue
            while b"W\r" in pending:
                _, _, pending = pending.partition(b"W\r")
                self.requests += 1
                os.write(fd, self.reply + b"\x03")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        os.close(self.master)
        self.master = -1
        self.link.unlink()

    def close(self) -> None:
        if self.master >= 0:
            self.unplug()


@pytest.fixture
def nci_device(tmp_path: Path) -> Iterator[SimulatedScale]:
    dev = SimulatedScale(tmp_path / "ttyUSB0", nci=True)
    yield dev
    dev.close()


@pytest.fixture
def stream_device(tmp_path: Path) -> Iterator[SimulatedScale]:
    dev = SimulatedScale(tmp_path / "ttyUSB0", nci=False)
    yield dev
    dev.close()


def weigh_until(scale: SerialScale, check: Callable[[int | None], bool], within: float = 3.0) -> int | None:
    """Read like the terminal's scale worker does until `check(grams)` holds; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        grams = scale.read_grams(0.2)
        if check(grams):
            return grams
    raise AssertionError(
        f"no reading satisfied {check} within {within}s (state {scale.state}, last {scale.last})"
    )


def opened(spec: str) -> SerialScale:
    scale = open_scale(spec)
    assert isinstance(scale, SerialScale)
    return scale


def test_an_nci_scale_is_polled_and_only_its_stable_weight_counts(nci_device: SimulatedScale) -> None:
    scale = opened(f"serial:{nci_device.link}?baudrate=9600&protocol=nci&poll_ms=50")
    try:
        nci_device.reply = b"\n  1.230kg\r\n10\r"  # a parcel settling: motion flag set
        assert weigh_until(scale, lambda g: scale.last is not None and scale.last.grams == 1230) is None
        assert scale.last is not None and not scale.last.stable and scale.last.detail == "in motion"
        nci_device.reply = b"\n  1.234kg\r\n00\r"
        assert weigh_until(scale, lambda g: g is not None) == 1234
        assert scale.state == "connected" and nci_device.requests >= 2
    finally:
        scale.close()


def test_an_nci_reply_that_is_garbage_is_ignored_and_the_next_one_counts(nci_device: SimulatedScale) -> None:
    scale = opened(f"serial:{nci_device.link}?protocol=nci&poll_ms=50")
    try:
        nci_device.reply = b"\n\xff\xfe#!kg\r\n00\r"
        weigh_until(scale, lambda g: len(scale.ignored) > 0)
        assert "not ASCII" in scale.ignored[-1].reason
        nci_device.reply = b"\n  0.800kg\r\n00\r"
        assert weigh_until(scale, lambda g: g is not None) == 800
    finally:
        scale.close()


def test_an_nci_scale_is_not_polled_faster_than_poll_ms(nci_device: SimulatedScale) -> None:
    scale = opened(f"serial:{nci_device.link}?protocol=nci&poll_ms=200")
    try:
        nci_device.reply = b"\n  0.500kg\r\n00\r"
        weigh_until(scale, lambda g: g == 500)
        before, started = nci_device.requests, time.monotonic()
        while time.monotonic() - started < 1.0:
            scale.read_grams(0.01)  # a caller asking far more often than the scale should be polled
        assert nci_device.requests - before <= 6
    finally:
        scale.close()


def test_a_streaming_scale_gives_its_newest_stable_line_and_ignores_noise(
    stream_device: SimulatedScale,
) -> None:
    scale = opened(f"serial:{stream_device.link}?baudrate=9600&protocol=continuous")
    try:
        assert scale.read_grams(0.3) is None and scale.state == "connected"
        stream_device.send(b"\x00\x7f\xffnoise\r\nUS,GS,+0000.950kg\r\n")
        weigh_until(scale, lambda g: scale.last is not None and scale.last.grams == 950)
        assert scale.read_grams(0.1) is None  # unstable lines never count as a weight
        stream_device.send(b"ST,GS,+0001.2")  # a line cut in two by the serial driver
        assert scale.read_grams(0.1) is None
        stream_device.send(b"34kg\r\nST,GS,+0001.234kg\r\n")
        assert weigh_until(scale, lambda g: g is not None) == 1234
        assert any("noise" in f.reason or "not a weight" in f.reason for f in scale.ignored)
    finally:
        scale.close()


def test_an_unplugged_scale_says_disconnected_and_reads_again_once_replugged(
    nci_device: SimulatedScale,
) -> None:
    scale = opened(f"serial:{nci_device.link}?protocol=nci&poll_ms=50")
    try:
        nci_device.reply = b"\n  2.000kg\r\n00\r"
        assert weigh_until(scale, lambda g: g is not None) == 2000
        nci_device.unplug()
        weigh_until(scale, lambda g: scale.state == "disconnected")
        assert scale.read_grams(0.2) is None and scale.detail
        nci_device.plug()
        nci_device.reply = b"\n  2.100kg\r\n00\r"
        assert weigh_until(scale, lambda g: g is not None, within=6.0) == 2100
        assert scale.state == "connected"
    finally:
        scale.close()


def test_a_second_process_cannot_open_the_same_scale(stream_device: SimulatedScale) -> None:
    first = opened(f"serial:{stream_device.link}?protocol=continuous")
    second = opened(f"serial:{stream_device.link}?protocol=continuous")
    try:
        first.read_grams(0.1)
        assert first.state == "connected"
        second.read_grams(0.1)
        assert second.state == "disconnected" and second.detail
    finally:
        first.close()
        second.close()


def test_a_missing_device_is_disconnected_not_an_error(tmp_path: Path) -> None:
    scale = opened(f"serial:{tmp_path / 'ttyUSB9'}?protocol=nci")
    try:
        assert scale.read_grams(0.2) is None
        assert scale.state == "disconnected" and "ttyUSB9" in scale.detail
    finally:
        scale.close()
