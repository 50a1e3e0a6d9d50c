"""A typed number: a quantity for bulk picks, or a weight in grams at the pack bench."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from app.station.ui.modals.base import AisleModal


class QuantityModal(AisleModal[int]):
    """Asks for a whole number; Enter confirms, Escape cancels (None)."""

    def __init__(self, title: str, hint: str = "Type the number, then Enter. Esc cancels.") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="0", type="integer", id="number")
            yield Static(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.isdigit() and int(text) > 0:
            self.dismiss(int(text))
        else:
            self.query_one(".dialog-hint", Static).update("A whole number above 0, please. Esc cancels.")
