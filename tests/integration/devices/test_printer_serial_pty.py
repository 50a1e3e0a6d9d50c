"""Serial printers on real pty pairs: the exact bytes, a ``~HS`` answer with paper out, unplugged mid-job."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Iterator

import pytest

from devices.printers import PrinterUnavailable, PrintInterrupted, open_printer
from tests.unit.devices.test_printer_host_status import SAMPLE

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX ptys")


class PtyPrinter:
    """The printer's end of a pty (the master); the station opens the slave's path as its serial port."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)
        self.received = bytearray()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, *, until: int | None = None, answer_hs: bytes = b"", unplug: bool = False) -> None:
        """Read what the station writes in a thread: up to `until` bytes (then unplug, if asked), answering
        ``~HS`` with `answer_hs`."""
        self.thread = threading.Thread(target=self._read, args=(until, answer_hs, unplug), daemon=True)
        self.thread.start()

    def _read(self, until: int | None, answer_hs: bytes, unplug: bool) -> None:
        while not self.stop.is_set() and (until is None or len(self.received) < until):
            if not select.select([self.master], [], [], 0.02)[0]:
                continue
            try:
                chunk = os.read(self.master, 4096 if until is None else min(4096, until - len(self.received)))
            except OSError:  # EIO while no one has the slave open
                time.sleep(0.01)
                continue
            self.received += chunk
            if answer_hs and self.received.endswith(b"~HS"):
                os.write(self.master, answer_hs)
        if unplug:
            os.close(self.master)
            self.master = -1

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join(5)

    def close(self) -> None:
        self.stop.set()
        self.wait()
        if self.master >= 0:
            os.close(self.master)


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    dev = PtyPrinter()
    yield dev
    dev.close()


def test_the_printer_receives_the_exact_bytes(pty_printer: PtyPrinter) -> None:
    job = b"^XA^FO50,50^FDParcel 1 of 1^FS^XZ\r\n" + bytes(range(256)) * 40
    pty_printer.start(until=len(job))
    open_printer(f"serial:{pty_printer.path}?baud=115200").send(job)
    pty_printer.wait()
    assert bytes(pty_printer.received) == job, "raw: no newline translation, no echo"


def test_a_host_status_answer_with_paper_out_is_reported(pty_printer: PtyPrinter) -> None:
    pty_printer.start(answer_hs=SAMPLE)
    status = open_printer(f"serial:{pty_printer.path}").status()
    assert status.reachable and status.paper_out is True and status.head_open is False
    assert status.paused is False and status.detail == "paper out" and not status.ready


def test_a_printer_that_does_not_answer_is_reachable_status_unknown(pty_printer: PtyPrinter) -> None:
    pty_printer.start()
    status = open_printer(f"serial:{pty_printer.path}").status()
    assert status.reachable and not status.known and "status unknown" in status.detail


def test_unplugged_mid_job_is_an_interrupted_send(pty_printer: PtyPrinter) -> None:
    pty_printer.start(until=20_000, unplug=True)
    with pytest.raises(PrintInterrupted) as caught:
        open_printer(f"serial:{pty_printer.path}").send(b"x" * 500_000)
    assert caught.value.maybe_printed and "reprint" in caught.value.advice


def test_a_missing_port_is_unavailable_and_nothing_was_sent() -> None:
    printer = open_printer("serial:/dev/aisle-no-such-printer")
    with pytest.raises(PrinterUnavailable) as caught:
        printer.send(b"^XA^XZ")
    assert not caught.value.maybe_printed
    assert not printer.status().reachable
