"""Supervisor override of a failed seal check: the supervisor's badge (scanned), PIN and a reason."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from app.station.ui.messages import ScanReceived
from app.station.ui.modals.base import AisleModal


@dataclass(frozen=True, slots=True)
class OverrideRequest:
    """What the packer hands the station: it checks the badge, the PIN and that a reason was given."""

    badge: str
    pin: str
    reason: str


class OverrideModal(AisleModal[OverrideRequest]):
    """Scan the supervisor's badge, type the PIN and the reason; Enter on the reason asks the station."""

    DEFAULT_CSS = """
    OverrideModal > .dialog { border: thick $error; }
    OverrideModal Input { margin-bottom: 0; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("SUPERVISOR OVERRIDE: seal despite a failed check", classes="dialog-title")
            yield Input(placeholder="supervisor badge (scan it)", id="badge")
            yield Input(placeholder="supervisor PIN", password=True, id="pin")
            yield Input(placeholder="reason (required), e.g. label damaged, counted by hand", id="reason")
            yield Static("Tab moves on; Enter on the reason submits. Esc cancels.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#badge", Input).focus()

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        """A scan here is the supervisor's badge, never a station scan (so not AisleModal's default)."""
        message.prevent_default()
        self.query_one("#badge", Input).value = message.scan.text.strip()
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#badge")
    def _badge_done(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _pin_done(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submit(self) -> None:
        badge, pin, reason = (
            self.query_one(f"#{name}", Input).value.strip() for name in ("badge", "pin", "reason")
        )
        hint = self.query_one(".dialog-hint", Static)
        if not badge:
            hint.update("Scan the supervisor's badge first.")
            self.query_one("#badge", Input).focus()
        elif not reason:
            hint.update("An override needs a reason: type it, then Enter.")
        else:
            self.dismiss(OverrideRequest(badge, pin, reason))
