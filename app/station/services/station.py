"""The station's message bus: one handler per command; the UI and the headless runner call only this.

station = Station(deps)
verdict = station.handle(RecordScan("A-03-02-1"))
view = station.line_view()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.work import Verdict
from app.station.services import commands as c
from app.station.services import packer, picker, scan_handler, views
from app.station.services.deps import StationDeps
from app.station.services.ports import StorageFull

Handler = Callable[[Any, StationDeps], Verdict]

HANDLERS: dict[type, Handler] = {
    c.RecordScan: scan_handler.record_scan,
    c.SignIn: scan_handler.sign_in_handler,
    c.SignOut: scan_handler.sign_out_handler,
    c.ClaimWork: picker.claim_work,
    c.EnterQuantity: picker.pick_command,
    c.RequestShort: picker.pick_command,
    c.ShortLine: picker.pick_command,
    c.SkipLine: picker.pick_command,
    c.UndoLastScan: picker.pick_command,
    c.CancelPending: picker.pick_command,
    c.PauseWork: picker.pick_command,
    c.ResumeWork: picker.pick_command,
    c.CloseTotes: picker.pick_command,
    c.PrepareSeal: packer.prepare_seal,
    c.SealOrder: packer.seal_order,
    c.OverrideSeal: packer.override_seal,
}


DISK_FULL = (
    "NOT RECORDED: this station's disk is full. Everything recorded before is safe. Call a supervisor to "
    "free space, then scan again."
)


def disk_full(deps: StationDeps) -> Verdict:
    """The refusal shown when the station database cannot grow; reading what comes next needs no space."""
    return Verdict(False, "disk_full", DISK_FULL, views.session_view(deps).expect)


class Station:
    """Handles commands and serves read models; thread-safe as far as the unit-of-work factory is."""

    def __init__(self, deps: StationDeps) -> None:
        self.deps = deps

    def handle(self, command: c.Command) -> Verdict:
        """Run the command's handler; returns once state, scan record and outbox rows are committed.

        When the disk is full nothing is committed, and the verdict says so (code `disk_full`).
        """
        try:
            return HANDLERS[type(command)](command, self.deps)
        except StorageFull:
            return disk_full(self.deps)

    def line_view(self) -> views.LineView | None:
        return views.line_view(self.deps)

    def pack_view(self) -> views.PackView | None:
        return views.pack_view(self.deps)

    def session_view(self) -> views.SessionView:
        return views.session_view(self.deps)

    def screen_views(self) -> tuple[views.SessionView, views.LineView | None, views.PackView | None]:
        """The session and the role's view from one read (what a terminal shows after each command)."""
        return views.screen_views(self.deps)
