"""A command in a terminal of its own (a pty, its controlling tty), which a test can close like a window.

`under_make=True` starts it as `make demo` does: under a session leader that, like make, shrugs off SIGHUP and
waits for its child. The kernel sends SIGHUP on a hang-up to the session leader only, so the command then
learns that its terminal is gone from the tty alone (the case that left `aisle demo` spinning for ever).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
AISLE = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
MAKE_LIKE = (
    "import signal, subprocess, sys; signal.signal(signal.SIGHUP, lambda *_: None); "
    "sys.exit(subprocess.call(sys.argv[1:]))"
)


def _take_the_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # after setsid (start_new_session): stdin becomes our terminal


class PtyTerminal:
    """`aisle *args` on a new 100x30 pty; what it paints is kept in `screen` (raw bytes)."""

    def __init__(self, args: list[str], cwd: Path, *, under_make: bool = False) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        env.pop("AISLE_TUI_READY_EXIT", None)
        command = [*AISLE, *args]
        if under_make:
            command = [sys.executable, "-c", MAKE_LIKE, *command]
        self.proc = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=_take_the_tty,
        )
        os.close(slave)
        self.under_make = under_make
        self.screen = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)  # a full pty would block its writes
        self._reader.start()

    def aisle(self, within: float = 10.0) -> psutil.Process:
        """The aisle process (under make: the leader's child)."""
        leader = psutil.Process(self.proc.pid)
        if not self.under_make:
            return leader
        deadline = time.monotonic() + within
        while not (children := leader.children()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert children, "the make-like leader started no aisle process"
        return children[0]

    def wait_for(self, text: bytes, within: float = 30.0) -> None:
        """Until `text` is painted; fails with the screen's tail when it is not."""
        deadline = time.monotonic() + within
        while text not in self.screen:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                tail = bytes(self.screen[-1500:]).decode(errors="replace")
                raise AssertionError(f"{text!r} was not painted (exit {self.proc.poll()}): {tail}")
            time.sleep(0.05)

    def hang_up(self) -> None:
        """Close the window: the master side goes, the kernel hangs the terminal up."""
        self._stop.set()
        self._reader.join(2)
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        """Leave nothing behind: kill what is left of the processes started here, by pid."""
        with contextlib.suppress(psutil.Error):
            for proc in [
                *psutil.Process(self.proc.pid).children(recursive=True),
                psutil.Process(self.proc.pid),
            ]:
                with contextlib.suppress(psutil.Error):
                    proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        if self.master >= 0:
            self.hang_up()

    def _drain(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: every process on the slave side closed it
                    return
                if not chunk:
                    return
                self.screen += chunk


def gone_within(proc: psutil.Process, seconds: float) -> tuple[int | None, str | None]:
    """(exit code, None) when `proc` ended within `seconds` (the code is None for a process that is not
    our child); else (None, what it is still doing), and it is killed."""
    try:
        return proc.wait(seconds), None
    except psutil.TimeoutExpired:
        cpu = proc.cpu_percent(0.5)
        threads = len(proc.threads())
        proc.kill()
        return None, f"pid {proc.pid} still running {seconds} s later at {cpu:.0f} % CPU, {threads} threads"
