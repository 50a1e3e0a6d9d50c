"""The last few scans with their outcome, newest first."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from rich.markup import escape
from textual.widgets import Static

MARKS = {"ok": "[green]✔[/]", "refused": "[b red]✘[/]", "warning": "[yellow]![/]", "info": "[dim]·[/]"}


class ScanLog(Static):
    """A short list of recent scans: time, mark, scanned text, short message."""

    DEFAULT_CSS = """
    ScanLog { height: auto; max-height: 6; color: $text-muted; }
    """

    def __init__(self, size: int = 4, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._rows: deque[str] = deque(maxlen=size)

    def add(self, verdict: str, scanned: str, message: str, when: float | None = None) -> None:
        """Add a row on top: `verdict` is ok, refused, warning or info; `when` is wall time (default now)."""
        stamp = time.strftime("%H:%M:%S", time.localtime(time.time() if when is None else when))
        shown = escape(scanned.replace("\x1d", "<GS>")[:24])
        self._rows.appendleft(f"{stamp} {MARKS.get(verdict, '·')} {shown:<24} {escape(message[:40])}")
        self.update("\n".join(self._rows))
