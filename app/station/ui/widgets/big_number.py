"""A caption over large digits: quantities (and locations) readable from a metre away."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label


class BigNumber(Vertical):
    """`caption` above a `Digits` value; `show(value)` replaces the value."""

    DEFAULT_CSS = """
    BigNumber { height: 4; width: auto; min-width: 8; padding: 0 1; }
    BigNumber > Label { color: $text-muted; text-style: bold; }
    BigNumber > Digits { width: auto; }
    """

    def __init__(self, caption: str, value: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.caption = caption
        self._value = value

    def compose(self) -> ComposeResult:
        yield Label(self.caption)
        yield Digits(self._value)

    def show(self, value: str) -> None:
        if value == self._value:
            return  # unchanged: no repaint
        self._value = value
        self.query_one(Digits).update(value)

    @property
    def value(self) -> str:
        return self._value
