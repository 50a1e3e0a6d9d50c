"""Skip confirmation: the line goes to the end of the route and must still be picked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static

from app.station.ui.modals.base import AisleModal


class SkipConfirm(AisleModal[bool]):
    """Y skips the current line (it comes back at the end of the route); N or Escape keeps it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Skip it", tooltip="CMD-SKIP"),
        Binding("n,escape", "answer(False)", "Keep it"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("SKIP THIS LINE?", classes="dialog-title")
            yield Static("It moves to the end of the route; you must still pick it.")
            yield Static("[b]Y[/] skip   [b]N[/] / Esc keep picking it", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
