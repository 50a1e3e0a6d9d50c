"""A floor terminal dies with its terminal: SIGHUP, SIGTERM or a tty that hangs up end the process within 2 s.

A process that outlives its terminal keeps the station database and its sync lock, and the serial scanner's
exclusive lock, so the operator who logs in again cannot start; and Textual, reading a dead tty, spins a core.
The kernel sends SIGHUP on a hang-up only to the terminal's session leader, which is often not us (`make demo`
under tmux or SSH: make gets it and waits for its child), so the tty itself is watched too.

The orderly way out is the App's own exit (its workers cancelled, the scanner closed) and then the caller's
teardown (sync worker, scale, the demo's server). A watchdog makes sure the process is gone `grace_s` after
the request even when that way is stuck: it runs the `on_kill` closers (ports, servers) and `os._exit`s.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from textual.app import App

GRACE_S = 1.2  # the orderly exit's time; then the watchdog closes ports and ends the process (promise: 2 s)
CLOSE_S = 0.3  # how long the watchdog waits for the closers (a camera's close joins its capture thread)
WATCH_STEP_MS = 250  # how often the tty watcher checks that it should stop
HANGUP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))


class Exitable(Protocol):
    """What the lifetime asks to exit: a Textual App (its `exit` is thread-safe)."""

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...


class TerminalLifetime:
    """While entered: SIGHUP and SIGTERM, or the controlling tty hanging up, make `app` exit (see module).

    `tty_fd`: the terminal to watch (default: the first of stdin, stdout, stderr that is one; -1: none);
    `hard_exit` and `on_hangup` (default: point the dead tty's descriptors at /dev/null) are for tests.
    `code` is None until an exit was requested, then 128 + the signal (129 for a hang-up, 143 for SIGTERM),
    as a shell reports a process ended by that signal. Once requested, the watchdog stays armed after the
    `with` block ends, so the caller's teardown is bounded too.
    """

    def __init__(
        self,
        app: Exitable,
        on_kill: Sequence[Callable[[], object]] = (),
        *,
        grace_s: float = GRACE_S,
        tty_fd: int | None = None,
        hard_exit: Callable[[int], object] = os._exit,
        on_hangup: Callable[[], object] | None = None,
    ) -> None:
        self.app, self.on_kill, self.grace_s, self.hard_exit = app, list(on_kill), grace_s, hard_exit
        self.on_hangup = on_hangup or detach_from_tty
        self.tty_fd = controlling_tty_fd() if tty_fd is None else tty_fd
        self.code: int | None = None
        self.reason = ""
        self._lock = threading.Lock()
        self._done = threading.Event()  # the `with` block ended: the watcher stops
        self._previous: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        """True once a signal or a hang-up asked the terminal to exit."""
        return self.code is not None

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():  # signals can only be set there
            for sig in HANGUP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        if self.tty_fd >= 0 and hasattr(select, "poll"):
            threading.Thread(target=self._watch_tty, name="aisle-tty-watch", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous.clear()

    def request_exit(self, signum: int, reason: str) -> None:
        """Ask the App to exit and arm the watchdog (once; later requests change nothing)."""
        with self._lock:
            if self.code is not None:
                return
            self.code, self.reason = 128 + signum, reason
        threading.Thread(target=self._watchdog, name="aisle-exit-watchdog", daemon=True).start()
        with contextlib.suppress(Exception):  # not running yet, or any more: the watchdog ends the process
            self.app.exit(return_code=self.code)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler runs on the main thread, maybe in the middle of the App's event loop: do the
        # work on a thread of its own, where the App's exit is thread-safe.
        name = signal.Signals(signum).name
        threading.Thread(target=self.request_exit, args=(signum, name), daemon=True).start()

    def _watch_tty(self) -> None:
        poller = select.poll()
        poller.register(self.tty_fd, 0)  # no events asked for: only POLLHUP, POLLERR and POLLNVAL come back
        while not self._done.is_set():
            events = poller.poll(WATCH_STEP_MS)
            if not events:
                continue
            if events[0][1] & (select.POLLHUP | select.POLLERR):
                self.on_hangup()
                self.request_exit(signal.SIGHUP, "the terminal hung up")
            return  # hung up, or POLLNVAL: the descriptor is not ours to watch any more

    def _watchdog(self) -> None:
        time.sleep(self.grace_s)
        closers = [  # one thread each: a closer that hangs must not keep the others from running
            threading.Thread(target=_quietly, args=(close,), name="aisle-exit-close", daemon=True)
            for close in self.on_kill
        ]
        for thread in closers:
            thread.start()
        deadline = time.monotonic() + CLOSE_S
        for thread in closers:
            thread.join(max(deadline - time.monotonic(), 0.0))
        self.hard_exit(self.code or 1)


def _quietly(close: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):  # on the way out: nobody is left to tell
        close()


def controlling_tty_fd() -> int:
    """The first of stdin, stdout and stderr that is a terminal (-1: none is)."""
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            if os.isatty(fd):
                return fd
    return -1


def detach_from_tty() -> None:
    """Point stdin, stdout and stderr that are a (hung-up) terminal at /dev/null, so what is still printed on
    the way out (Textual restoring the screen, the demo's banner, Python flushing at exit) cannot fail."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                if os.isatty(fd) or _hung_up(fd):
                    os.dup2(null, fd)
    finally:
        os.close(null)


def _hung_up(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, 0)
    return any(mask & select.POLLHUP for _, mask in poller.poll(0))


def run_app(app: App[Any], on_kill: Sequence[Callable[[], object]] = ()) -> int:
    """Run a Textual App under a TerminalLifetime; its exit code (128 + signal when one ended it)."""
    with TerminalLifetime(app, on_kill) as lifetime:
        app.run()
    return lifetime.code if lifetime.code is not None else int(app.return_code or 0)
