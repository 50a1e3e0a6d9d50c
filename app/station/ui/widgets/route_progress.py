"""Progress through the route (picker) or the order (packer): "Lines 3 / 8" and a bar."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class RouteProgress(Horizontal):
    """A caption with done / total, then a progress bar without percentage or ETA."""

    DEFAULT_CSS = """
    RouteProgress { height: 1; padding: 0 1; }
    RouteProgress > Label { width: auto; margin-right: 2; text-style: bold; }
    RouteProgress > ProgressBar { width: 1fr; }
    RouteProgress Bar { width: 1fr; }
    """

    def __init__(self, noun: str = "Lines", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.noun = noun
        self._shown = (0, 0)

    def compose(self) -> ComposeResult:
        yield Label(f"{self.noun} 0 / 0")
        yield ProgressBar(total=1, show_percentage=False, show_eta=False)

    def show(self, done: int, total: int) -> None:
        if (done, total) == self._shown:
            return  # most scans do not finish a line: nothing to repaint
        self._shown = (done, total)
        self.query_one(Label).update(f"{self.noun} {done} / {total}")
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
