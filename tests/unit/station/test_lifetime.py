"""TerminalLifetime (app.bootstrap.lifetime) and the hang-up tolerant driver file, without a real terminal
process: the pty tests in tests/integration/station/test_terminal_hangup.py run the real ones."""

from __future__ import annotations

import errno
import io
import os
import signal
import threading
import time
from typing import Any

import pytest

from app.bootstrap.lifetime import CLOSE_S, TerminalLifetime
from app.station.ui.driver import HangupTolerantDriver, HangupTolerantFile

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX signals and ptys")


class FakeApp:
    """Records exit requests, from whichever thread they come."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.asked = threading.Event()

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        self.codes.append(return_code)
        self.asked.set()


class HardExit:
    def __init__(self) -> None:
        self.codes: list[int] = []
        self.done = threading.Event()

    def __call__(self, code: int) -> None:
        self.codes.append(code)
        self.done.set()


def lifetime(app: FakeApp, hard: HardExit, **kw: Any) -> TerminalLifetime:
    kw.setdefault("tty_fd", -1)
    return TerminalLifetime(app, grace_s=0.05, hard_exit=hard, on_hangup=lambda: None, **kw)


def test_sigterm_asks_the_app_to_exit_and_the_watchdog_ends_the_process() -> None:
    app, hard, closed = FakeApp(), HardExit(), []
    with lifetime(app, hard, on_kill=[lambda: closed.append("port")]) as life:
        os.kill(os.getpid(), signal.SIGTERM)
        assert app.asked.wait(2)
    assert app.codes == [143] and life.code == 143 and life.requested
    assert hard.done.wait(2), "the watchdog never ended the process"
    assert hard.codes == [143] and closed == ["port"]  # the ports closed before the hard exit


def test_the_signal_handlers_are_put_back() -> None:
    before = signal.getsignal(signal.SIGHUP)
    with lifetime(FakeApp(), HardExit()):
        assert signal.getsignal(signal.SIGHUP) is not before
    assert signal.getsignal(signal.SIGHUP) is before


def test_a_second_request_changes_nothing() -> None:
    app, hard = FakeApp(), HardExit()
    with lifetime(app, hard) as life:
        life.request_exit(signal.SIGHUP, "hung up")
        life.request_exit(signal.SIGTERM, "SIGTERM")
    assert hard.done.wait(2)
    time.sleep(0.1)
    assert app.codes == [129] and hard.codes == [129] and life.reason == "hung up"


def test_a_closer_that_hangs_does_not_hold_up_the_others_or_the_exit() -> None:
    app, hard, closed = FakeApp(), HardExit(), []
    stuck = threading.Event()
    with lifetime(app, hard, on_kill=[stuck.wait, lambda: closed.append("scale")]) as life:
        started = time.monotonic()
        life.request_exit(signal.SIGTERM, "SIGTERM")
        assert hard.done.wait(2)
    assert time.monotonic() - started < 0.05 + CLOSE_S + 0.5
    assert closed == ["scale"]
    stuck.set()


def test_an_app_that_is_not_running_still_ends() -> None:
    class NotRunning(FakeApp):
        def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
            raise RuntimeError("App is not running")

    hard = HardExit()
    with lifetime(NotRunning(), hard) as life:
        life.request_exit(signal.SIGHUP, "SIGHUP")
    assert hard.done.wait(2) and hard.codes == [129]


def test_a_terminal_that_hangs_up_is_noticed_without_a_signal() -> None:
    master, slave = os.openpty()
    app, hard, detached = FakeApp(), HardExit(), threading.Event()
    try:
        life = TerminalLifetime(app, grace_s=0.05, hard_exit=hard, tty_fd=slave, on_hangup=detached.set)
        with life:
            time.sleep(0.3)
            assert not app.asked.is_set()  # a live terminal, input or not, is no hang-up
            os.write(master, b"x")
            time.sleep(0.3)
            assert not app.asked.is_set()
            os.close(master)
            master = -1
            assert app.asked.wait(2), "the hang-up was not noticed"
        assert app.codes == [129] and detached.is_set() and life.reason == "the terminal hung up"
        assert hard.done.wait(2)
    finally:
        os.close(slave)
        if master >= 0:
            os.close(master)


def test_the_driver_file_drops_writes_to_a_terminal_that_hung_up() -> None:
    master, slave = os.openpty()
    out = HangupTolerantFile(io.TextIOWrapper(io.FileIO(slave, "w"), write_through=False))
    out.write("before")
    out.flush()
    assert os.read(master, 100) == b"before"
    os.close(master)
    assert out.write("x" * 10000) == 10000  # EIO from now on: dropped, not raised
    out.flush()
    assert out.gone


def test_the_driver_file_raises_what_is_no_hang_up() -> None:
    class Busy(io.StringIO):
        def flush(self) -> None:
            raise BlockingIOError(errno.EAGAIN, "busy")

    out = HangupTolerantFile(Busy())
    with pytest.raises(BlockingIOError):
        out.flush()
    assert not out.gone


def test_the_floor_terminal_runs_on_the_tolerant_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.station.ui.app import AisleApp
    from app.station.ui.terminal import Terminal, TerminalSettings

    assert AisleApp(Terminal(TerminalSettings())).get_driver_class() is HangupTolerantDriver
    monkeypatch.setattr("textual.constants.DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert AisleApp(Terminal(TerminalSettings())).get_driver_class().__name__ == "HeadlessDriver"
