"""Paused: nothing is recorded until the picker resumes (R, or scan CMD-RESUME)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static

from app.station.ui.modals.base import AisleModal


class PauseModal(AisleModal[str]):
    """Shown while the work is paused; R resumes where the picker stopped."""

    DEFAULT_CSS = """
    PauseModal > .dialog { border: thick $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,enter", "resume", "Resume", tooltip="CMD-RESUME"),
        Binding("escape", "nothing", "", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("PAUSED", classes="dialog-title")
            yield Static("Nothing is recorded while paused. Your place on the route is kept.")
            yield Static("[b]R[/] resume (or scan CMD-RESUME)", classes="dialog-hint")

    def action_resume(self) -> None:
        self.dismiss("resume")

    def action_nothing(self) -> None:
        """Escape does not leave a pause: only resuming does."""
