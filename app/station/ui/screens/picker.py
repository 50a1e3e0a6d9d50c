"""The picker's terminal: where to go, what to take, how many, into which tote; one glance, one scan, next."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from app.domain.work import ExpectKind, ShortReason
from app.station.services import commands as c
from app.station.ui.messages import StationAnswered, StationSnapshot
from app.station.ui.modals.pause import PauseModal
from app.station.ui.modals.quantity import QuantityModal
from app.station.ui.modals.short_pick import ShortPickModal
from app.station.ui.modals.skip_confirm import SkipConfirm
from app.station.ui.screens.base import RoleScreen
from app.station.ui.widgets.pick_line import PickLinePanel
from app.station.ui.widgets.route_progress import RouteProgress
from app.station.ui.widgets.scan_log import ScanLog
from app.station.ui.widgets.verdict_panel import VerdictPanel


class PickerScreen(RoleScreen):
    """Directs the picker bin by bin; every key has a command label that does the same by scan."""

    PURPOSE = "Picking: go to the location, scan it, scan each unit, put it in the tote."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "claim", "Work", tooltip="scan your badge"),
        Binding("s", "short", "Short", tooltip="CMD-SHORT"),
        Binding("k", "skip", "Skip", tooltip="CMD-SKIP"),
        Binding("u", "undo", "Undo", tooltip="CMD-UNDO"),
        Binding("q", "quantity", "Qty", tooltip="CMD-QTY-n"),
        Binding("p", "pause", "Pause", tooltip="CMD-PAUSE"),
        Binding("r", "resume", "Resume", show=False, tooltip="CMD-RESUME"),
        Binding("d", "done", "Done", tooltip="CMD-DONE"),
        Binding("x,escape", "cancel", "Cancel", show=False, tooltip="CMD-CANCEL"),
        Binding("t", "type_code", "Type", show=False, tooltip="(type a code by hand)"),
        Binding("o", "sign_out", "Sign out", show=False, tooltip="CMD-SIGNOUT"),
    ]

    def compose(self) -> ComposeResult:
        yield VerdictPanel("Starting…", id="verdict")
        yield PickLinePanel(id="line")
        yield Static("", id="prompt")
        yield RouteProgress("Lines", id="progress")
        yield ScanLog(4, id="scans")
        yield Footer()
        yield self.status_bar()

    def render_snapshot(self, snapshot: StationSnapshot) -> None:
        line = snapshot.line
        self.query_one(PickLinePanel).show(line)
        self.query_one(RouteProgress).show(line.done if line else 0, line.total if line else 0)

    def next_prompt(self, snapshot: StationSnapshot) -> str:
        return snapshot.line.expect.prompt if snapshot.line else snapshot.session.expect.prompt

    def after_answer(self, message: StationAnswered) -> None:
        """Open (or close) the modal the new state asks for: the short reason, the pause."""

        line = message.snapshot.line
        kind = line.expect.kind if line else None
        self._ensure_modal(ShortPickModal, kind is ExpectKind.SHORT_REASON)
        self._ensure_modal(PauseModal, kind is ExpectKind.RESUME)

    def _ensure_modal(self, modal: type, wanted: bool) -> None:
        stack = self.app.screen_stack
        open_ = [s for s in stack if isinstance(s, modal)]
        if wanted and not open_:
            self.app.push_screen(modal(), callback=self._modal_result)
        elif not wanted:
            for screen in open_:
                if screen is self.app.screen:
                    screen.dismiss(None)

    def _modal_result(self, result: object) -> None:
        if isinstance(result, ShortReason):
            self.submit(c.ShortLine(result))
        elif result == "cancel-short":
            self.submit(c.CancelPending())
        elif result == "resume":
            self.submit(c.ResumeWork())

    # --- actions: each sends the command its label would -----------------------------------------------

    def action_claim(self) -> None:
        self.submit(c.ClaimWork())

    def action_short(self) -> None:
        self.submit(c.RequestShort())

    def action_skip(self) -> None:

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(c.SkipLine())

        self.app.push_screen(SkipConfirm(), callback=confirmed)

    def action_undo(self) -> None:
        self.submit(c.UndoLastScan())

    def action_quantity(self) -> None:

        def entered(qty: int | None) -> None:
            if qty:
                self.submit(c.EnterQuantity(qty))

        self.app.push_screen(QuantityModal("Units to take with the next scan"), callback=entered)

    def action_pause(self) -> None:
        self.submit(c.PauseWork())

    def action_resume(self) -> None:
        self.submit(c.ResumeWork())

    def action_done(self) -> None:
        self.submit(c.CloseTotes())

    def action_cancel(self) -> None:
        self.submit(c.CancelPending())
