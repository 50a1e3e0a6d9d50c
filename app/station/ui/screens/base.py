"""What every role screen shares: the verdict panel, the recent scans, the prompt and the status bar."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on
from textual.screen import Screen
from textual.widgets import Static

from app.station.services.commands import Command, RecordScan, SignOut
from app.station.ui.messages import (
    FrameRejected,
    ScanReceived,
    StationAnswered,
    StationFailed,
    StationSnapshot,
)
from app.station.ui.modals.manual_entry import ManualEntryModal
from app.station.ui.widgets import show_text
from app.station.ui.widgets.scan_log import ScanLog
from app.station.ui.widgets.status_bar import StatusBar
from app.station.ui.widgets.verdict_panel import VerdictPanel

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp


class RoleScreen(Screen[None]):
    """A role's screen: renders StationAnswered messages; subclasses render their snapshot part."""

    #: what the help screen says this screen is for
    PURPOSE = ""
    _shown: StationAnswered | None = None  # the answer on screen (on_mount may show it before it arrives)

    @property
    def aisle(self) -> AisleApp:
        return cast("AisleApp", self.app)  # Textual types self.app as App[object]

    def status_bar(self) -> StatusBar:
        return StatusBar(self.aisle.terminal.wall_clock, id="status")

    def on_mount(self) -> None:
        self.query_one(StatusBar).info = self.aisle.status
        self._mounted = True
        if self.aisle.last_answer is not None:  # an answer that came before the screen was ready
            self.show_answer(self.aisle.last_answer)

    @property
    def prompt(self) -> str:
        """What to scan next, as the station last said it."""
        answer = self.aisle.last_answer
        return answer.snapshot.session.expect.prompt if answer else ""

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        """A scan on a role screen: the station records and answers it (StationAnswered)."""
        self.aisle.submit_scan(message)

    @on(StationAnswered)
    def on_station_answered(self, message: StationAnswered) -> None:
        self.show_answer(message)

    def show_answer(self, message: StationAnswered) -> None:
        """Colour, message and scan log for the verdict; then the screen's own view of the snapshot."""
        if not getattr(self, "_mounted", False) or message is self._shown:
            return  # on_mount shows the App's last answer
        self._shown = message
        verdict = message.verdict
        if verdict is not None:
            outcome = "ok" if verdict.accepted else "refused"
            self.query_one(VerdictPanel).show(outcome, verdict.message)
            shown = message.scanned or _command_name(message.command)
            self.query_one(ScanLog).add(outcome, shown, verdict.message, self.aisle.terminal.wall_clock())
        elif message.snapshot.session.operator is None:
            self.query_one(VerdictPanel).show("info", message.snapshot.session.expect.prompt)
        show_text(self.query_one("#prompt", Static), f"NEXT: {escape(self.next_prompt(message.snapshot))}")
        self.render_snapshot(message.snapshot)
        self.after_answer(message)

    def next_prompt(self, snapshot: StationSnapshot) -> str:
        return snapshot.session.expect.prompt

    def render_snapshot(self, snapshot: StationSnapshot) -> None:
        """Show the role's part of the state (the current line, the order on the bench)."""

    def after_answer(self, message: StationAnswered) -> None:
        """Hook: open what the new state asks for (the short-reason modal…)."""

    @on(StationFailed)
    def on_station_failed(self, message: StationFailed) -> None:
        text = f"NOT RECORDED: {message.error}. Try again; if it happens again, call a supervisor."
        self.query_one(VerdictPanel).show("refused", text)

    @on(FrameRejected)
    def on_frame_rejected(self, message: FrameRejected) -> None:
        text = f"Unreadable scan ({message.frame.reason}). Scan the label again, holding it steady."
        self.query_one(VerdictPanel).show("warning", text)
        self.query_one(ScanLog).add("warning", "?", text, self.aisle.terminal.wall_clock())

    def submit(self, command: Command) -> None:
        """Send a key's command to the station (the same command its label is interpreted to)."""
        self.aisle.submit(command)

    def action_sign_out(self) -> None:
        self.submit(SignOut())

    def action_type_code(self) -> None:
        """A code typed by hand (a damaged label): recorded like a scan, with source "typed"."""

        def typed(text: str | None) -> None:
            if text:
                self.submit(RecordScan(text, source="typed"))

        self.app.push_screen(ManualEntryModal(), callback=typed)


def _command_name(command: Command | None) -> str:
    """How a key action shows in the scan log: ClaimWork → "[key] claim work"."""
    if command is None:
        return ""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(command).__name__).lower()
    return f"[key] {words}"
