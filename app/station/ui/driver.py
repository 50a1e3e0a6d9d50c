"""The floor terminal's Textual driver: Textual's own, except that a terminal that hung up cannot wedge it.

Textual writes the screen from a writer thread through a queue of 30 writes. On a terminal that hung up (an
SSH session that dropped, `tmux kill-session`, a closed window) a write fails with EIO, the writer thread
dies, and the next 30 writes fill its queue: the UI thread then blocks for ever, and so does the App's exit,
which writes to restore the terminal. Here such writes are dropped instead, so the App can still exit in
order (`app.bootstrap.lifetime` notices the hang-up and asks it to).
"""

from __future__ import annotations

import errno
import sys
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver

#: what a write to a terminal that is gone fails with (EIO: hung up; the others: closed under us)
GONE = frozenset({errno.EIO, errno.EPIPE, errno.EBADF, errno.ENXIO})


class HangupTolerantFile:
    """A text file whose writes and flushes are dropped, not raised, once its terminal is gone."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except OSError as exc:
                self._lost(exc)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except OSError as exc:
                self._lost(exc)

    def _lost(self, exc: OSError) -> None:
        if exc.errno not in GONE:
            raise exc  # e.g. EAGAIN is no hang-up: Textual fails as it would without this wrapper
        self.gone = True

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return self._file.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class HangupTolerantDriver(LinuxDriver):
    """LinuxDriver writing through a HangupTolerantFile (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stderr = sys.__stderr__  # where LinuxDriver writes
        if stderr is not None:
            self._file = HangupTolerantFile(stderr)  # type: ignore[assignment]  # duck-types a TextIO
