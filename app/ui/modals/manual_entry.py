"""Typing a code by hand: the fallback when a label will not scan (recorded as typed, not scanned)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from app.ui.modals.base import AisleModal


class ManualEntryModal(AisleModal[str]):
    """Asks for the text of a label; Enter records it as a typed code, Escape cancels."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("TYPE A CODE", classes="dialog-title")
            yield Input(placeholder="barcode, location, tote or CMD- label", id="code")
            yield Static("Enter records it (marked as typed). Esc cancels.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
