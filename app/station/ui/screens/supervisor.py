"""The supervisor's terminal: every station, the orders (late first), and the exception queue, live."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from app.station.services.floor import PRIORITIES, FloorView, SupervisorSource
from app.station.ui.messages import FloorRefreshed, ScanReceived, StationAnswered, SupervisorActionDone
from app.station.ui.modals.manual_entry import ManualEntryModal
from app.station.ui.widgets.exceptions_table import ExceptionsTable
from app.station.ui.widgets.live_table import age
from app.station.ui.widgets.orders_table import OrdersTable, status_summary
from app.station.ui.widgets.stations_table import StationsTable
from app.station.ui.widgets.supervisor_bar import SupervisorBar, server_label

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp


class SupervisorScreen(Screen[None]):
    """Refreshes by itself (rows update in place); actions apply to the row under the cursor."""

    PURPOSE = "Supervising: stations, orders and exceptions, live from the server."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "acknowledge", "Ack", tooltip="exception under the cursor"),
        Binding("r", "revoke", "Revoke", tooltip="the lease of that exception's line"),
        Binding("h", "hold", "Hold", tooltip="order under the cursor"),
        Binding("l", "release", "Release", tooltip="order under the cursor"),
        Binding("plus,equals_sign", "priority(1)", "Prio+", tooltip="raise the order's priority"),
        Binding("minus", "priority(-1)", "Prio-", tooltip="lower the order's priority"),
        Binding("f5", "refresh", "Refresh", show=False, tooltip="read the server now"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.floor: FloorView | None = None
        self.read_at: float | None = None
        self._mounted = False
        self._early: FloorRefreshed | None = None  # a read that arrived before the tables were mounted

    @property
    def aisle(self) -> AisleApp:
        return cast("AisleApp", self.app)  # Textual types self.app as App[object]

    @property
    def prompt(self) -> str:
        return "Tab moves between the tables; arrows choose a row; then a key from the list."

    def compose(self) -> ComposeResult:
        yield SupervisorBar(self.aisle.terminal.wall_clock, id="status")
        yield Static("Reading the floor from the server…", id="floor-msg")
        yield Label("STATIONS", classes="section")
        yield StationsTable(id="stations")
        yield Static("", id="order-counts", classes="section")
        yield OrdersTable(id="orders")
        yield Label("EXCEPTIONS", classes="section")
        yield ExceptionsTable(id="exceptions")
        yield Footer()

    def on_mount(self) -> None:
        source = self.aisle.terminal.supervisor
        self.query_one(SupervisorBar).change(server=server_label(source.server_url) if source else "")
        self._show_operator()
        if source is None:
            self._say("No server configured: start with --server URL (and a token) to supervise.", error=True)
        self.query_one(ExceptionsTable).focus()
        self._mounted = True
        if self._early is not None:
            self.show_floor(self._early)

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        self.aisle.submit_scan(message)

    @on(StationAnswered)
    def on_station_answered(self, _message: StationAnswered) -> None:
        self._show_operator()  # a terminal with a station: someone signed in or out here

    def _show_operator(self) -> None:
        status = self.aisle.status
        self.query_one(SupervisorBar).change(operator=status.operator, role=status.role)

    @on(FloorRefreshed)
    def on_floor_refreshed(self, message: FloorRefreshed) -> None:
        self.show_floor(message)

    def show_floor(self, message: FloorRefreshed) -> None:
        """A fresh read: update the tables in place; a failed read keeps the last view and says so."""
        if not self._mounted:
            self._early = message
            return
        self.query_one(SupervisorBar).read(answered=message.floor is not None)
        if message.floor is None:
            since = f" (last read {age(time.time() - self.read_at)} ago)" if self.read_at else ""
            self._say(f"Server unreachable: {message.error}{since}. Retrying by itself.", error=True)
            return
        self.floor, self.read_at = message.floor, time.time()
        floor = message.floor
        self.query_one(StationsTable).show(floor.stations)
        self.query_one("#order-counts", Static).update(f"ORDERS  {status_summary(floor)}")
        self.query_one(OrdersTable).show(floor)
        self.query_one(ExceptionsTable).show(floor.exceptions)
        offline = sum(not s.online for s in floor.stations)
        waiting = sum(not e.acknowledged for e in floor.exceptions)
        self._say(f"{len(floor.stations)} stations ({offline} offline) · {waiting} exception(s) waiting.")

    @on(SupervisorActionDone)
    def on_supervisor_action_done(self, message: SupervisorActionDone) -> None:
        self._say(message.message, error=not message.ok)

    def _say(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#floor-msg", Static)
        msg.update(escape(text))
        msg.set_class(error, "-error")
        if error:
            self.aisle.ring()

    # --- actions --------------------------------------------------------------------------------------

    def _exception(self) -> tuple[str, str, str] | None:
        """(exception id, lease id, order id) of the exception under the cursor."""
        key = self.query_one(ExceptionsTable).selected_key()
        found = next(
            (e for e in (self.floor.exceptions if self.floor else []) if e.exception_id == key), None
        )
        return (found.exception_id, found.lease_id, found.order_id) if found else None

    def _order(self) -> str | None:
        """The order under the cursor: in the orders table, or of the exception under the cursor."""
        if self.focused is self.query_one(ExceptionsTable):
            exc = self._exception()
            return exc[2] if exc and exc[2] else None
        return self.query_one(OrdersTable).selected_key()

    def action_acknowledge(self) -> None:
        exc = self._exception()
        if exc is None:
            self._say("Choose an exception first (Tab to the exceptions, arrows to the row).", error=True)
            return
        self._run(lambda s: s.acknowledge(exc[0]))

    def action_revoke(self) -> None:
        exc = self._exception()
        if exc is None or not exc[1]:
            self._say("Choose an exception on a leased line first.", error=True)
            return
        self._run(lambda s: s.revoke_lease(exc[1]))

    def action_hold(self) -> None:

        order = self._order()
        if order is None:
            self._say("Choose an order first.", error=True)
            return

        def reason(text: str | None) -> None:
            if text:
                self._run(lambda s: s.hold_order(order, text))

        self.app.push_screen(ManualEntryModal(f"HOLD ORDER {order}: why?", "reason"), callback=reason)

    def action_release(self) -> None:
        order = self._order()
        if order is None:
            self._say("Choose an order first.", error=True)
            return
        self._run(lambda s: s.release_order(order))

    def action_priority(self, step: int) -> None:
        order = self._order()
        row = next((o for o in (self.floor.orders if self.floor else []) if o.order_id == order), None)
        if row is None:
            self._say("Choose an order first.", error=True)
            return
        current = PRIORITIES.index(row.priority) if row.priority in PRIORITIES else 1
        wanted = PRIORITIES[max(0, min(len(PRIORITIES) - 1, current + step))]
        self._run(lambda s: s.set_priority(row.order_id, wanted))

    def action_refresh(self) -> None:
        self.aisle.floor_wake.set()

    def _run(self, action: Callable[[SupervisorSource], str]) -> None:
        source = self.aisle.terminal.supervisor
        if source is None:
            self._say("No server configured.", error=True)
            return
        self._say("Working…")
        self._act(partial(action, source))

    @work(thread=True, exit_on_error=False, group="supervisor-action")
    def _act(self, call: Callable[[], str]) -> None:
        try:
            done = SupervisorActionDone(True, call())
        except Exception as exc:  # the server refused or is down: the message says which
            done = SupervisorActionDone(False, str(exc) or type(exc).__name__)
        self.post_message(done)
        self.aisle.floor_wake.set()
