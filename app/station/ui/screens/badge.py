"""The badge screen: a station started without a role asks for a badge and offers that operator's roles."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from app.station.services import commands as c
from app.station.services.role_choice import roles_for_badge, take_role
from app.station.ui.messages import ScanReceived
from app.station.ui.widgets.status_bar import StatusBar
from app.station.ui.widgets.verdict_panel import VerdictPanel

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp


class BadgeScreen(Screen[None]):
    """Scan (or type) a badge; then press 1, 2 or 3 for one of the roles that badge may take."""

    PURPOSE = "Sign in: scan your badge, then choose your role."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(0)", "Role 1", show=False),
        Binding("2", "choose(1)", "Role 2", show=False),
        Binding("3", "choose(2)", "Role 3", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.badge: str | None = None
        self.roles: tuple[str, ...] = ()

    @property
    def aisle(self) -> AisleApp:
        return cast("AisleApp", self.app)  # Textual types self.app as App[object]

    def compose(self) -> ComposeResult:
        yield VerdictPanel("Scan your badge to sign in.", id="verdict", classes="-info")
        with Vertical(id="badge-box"):
            yield Label("BADGE", classes="dialog-title")
            yield Input(placeholder="scan your badge, or type it and press Enter", id="badge")
            yield Static("", id="roles")
        yield Footer()
        yield StatusBar(self.aisle.terminal.wall_clock, id="status")

    def on_mount(self) -> None:
        self.query_one(StatusBar).info = self.aisle.status
        self.query_one(Input).focus()

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        """A scan here is a badge: look up its roles."""
        self.look_up(message.scan.text.strip())

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.look_up(event.value.strip())
        event.input.value = ""

    def look_up(self, badge: str) -> None:
        """Find the roles this badge may take (in a thread: it reads the station database)."""
        station = self.aisle.terminal.station
        if station is None:
            self.show_roles(badge, ("supervisor",) if self.aisle.terminal.supervisor else ())
            return
        self._look_up(badge)

    @work(thread=True, exit_on_error=False, group="badge")
    def _look_up(self, badge: str) -> None:
        station = self.aisle.terminal.station
        assert station is not None
        roles = roles_for_badge(station.deps, badge)
        self.app.call_from_thread(partial(self.show_roles, badge, roles))

    def show_roles(self, badge: str, roles: tuple[str, ...] | None) -> None:
        panel, listing = self.query_one(VerdictPanel), self.query_one("#roles", Static)
        if not roles:
            self.aisle.ring()
            why = "is not registered here" if roles is None else "has no role at this station"
            panel.show("refused", f"Badge {badge} {why}. Ask a supervisor, or scan another badge.")
            listing.update("")
            self.badge, self.roles = None, ()
            return
        self.badge, self.roles = badge, roles
        panel.show("ok", f"Badge {badge}: choose your role.")
        listing.update("\n".join(f"[b]{i}[/]  {role.upper()}" for i, role in enumerate(roles, 1)))
        self.query_one(Input).blur()  # the number keys now choose the role

    def action_choose(self, index: int) -> None:
        if self.badge is None or index >= len(self.roles):
            return
        role, badge, app = self.roles[index], self.badge, self.aisle
        if app.terminal.station is not None:
            take_role(app.terminal.station.deps, role)
        app.show_role(role)
        if role != "supervisor":
            app.submit(c.SignIn(badge))
