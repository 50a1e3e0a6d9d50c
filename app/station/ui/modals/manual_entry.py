"""Typing a line of text: a code when a label will not scan (recorded as typed), or a reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from app.station.ui.modals.base import AisleModal


class ManualEntryModal(AisleModal[str]):
    """Asks for the text of a label; Enter records it as a typed code, Escape cancels."""

    def __init__(
        self, title: str = "TYPE A CODE", placeholder: str = "barcode, location, tote or CMD- label"
    ) -> None:
        super().__init__()
        self.title_text, self.placeholder = title, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="code")
            yield Static("Enter confirms. Esc cancels.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
