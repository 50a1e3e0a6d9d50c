"""The supervisor's view: live stations, orders late first, exceptions, and actions on the selected row."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Static

from app.station.ui.screens.supervisor import SupervisorScreen
from app.station.ui.widgets.exceptions_table import ExceptionsTable
from app.station.ui.widgets.orders_table import OrdersTable
from app.station.ui.widgets.stations_table import StationsTable
from tests.support.ui_fakes import FakeSupervisorSource
from tests.ui.conftest import Terminal, build, text, type_slowly, until


def cells(table: object, key: str) -> list[str]:
    return [str(getattr(c, "plain", c)) for c in table.get_row(key)]  # type: ignore[attr-defined]


def supervisor() -> Terminal:
    t = build("supervisor", None, supervisor=FakeSupervisorSource())
    t.app.settings = replace(t.app.settings, supervisor_refresh_s=0.1)
    return t


async def test_the_floor_shows_offline_stations_late_orders_and_open_exceptions_first() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(StationsTable).row_count == 2)
        screen = t.app.screen
        assert isinstance(screen, SupervisorScreen)
        stations = screen.query_one(StationsTable)
        assert [str(k.value) for k in stations.rows] == ["ST02", "ST01"]  # offline first
        assert cells(stations, "ST02")[6:8] == ["OFFLINE", "12 (9m)"]
        orders = screen.query_one(OrdersTable)
        assert [str(k.value) for k in orders.rows] == ["1002", "1001", "1003"]  # late first, then oldest
        assert cells(orders, "1002")[4] == "LATE"
        assert "packing 1 (1 late, 2h00m)" in text(screen.query_one("#order-counts", Static))
        assert "2 stations (1 offline) · 2 exception(s) waiting." in text(screen.query_one("#floor-msg"))


async def test_acknowledge_applies_to_the_exception_under_the_cursor_and_the_view_follows() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(ExceptionsTable).row_count == 2)
        await pilot.press("down", "a")  # the second exception: the weight mismatch
        await until(pilot, lambda: "1 exception(s) waiting" in text(t.app.screen.query_one("#floor-msg")))
        assert t.supervisor is not None and t.supervisor.actions == ["ack E2"]
        table = t.app.screen.query_one(ExceptionsTable)
        assert [str(k.value) for k in table.rows] == ["E1", "E2"]  # acknowledged ones sink


async def test_priority_and_hold_act_on_the_order_of_the_selected_exception() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(ExceptionsTable).row_count == 2)
        await pilot.press("plus")
        await until(pilot, lambda: bool(t.supervisor and t.supervisor.actions))
        assert t.supervisor is not None and t.supervisor.actions == ["priority 1001 high"]
        await until(pilot, lambda: cells(t.app.screen.query_one(OrdersTable), "1001")[3] == "high")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(t.app.focused, Input))
        await type_slowly(pilot, "damaged")
        await pilot.press("enter")
        await until(pilot, lambda: len(t.supervisor.actions) == 2)  # type: ignore[union-attr]
        assert t.supervisor.actions[-1] == "hold 1001 damaged"


async def test_a_server_outage_keeps_the_last_view_and_says_so_then_recovers() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(StationsTable).row_count == 2)
        assert t.supervisor is not None
        t.supervisor.down = True
        await until(pilot, lambda: "Server unreachable" in text(t.app.screen.query_one("#floor-msg")))
        assert t.app.screen.query_one(StationsTable).row_count == 2
        t.supervisor.down = False
        await until(pilot, lambda: "2 stations" in text(t.app.screen.query_one("#floor-msg")))


async def test_refreshing_updates_cells_in_place_without_rebuilding_the_table() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(StationsTable).row_count == 2)
        table = t.app.screen.query_one(StationsTable)
        row_keys = list(table.rows)
        assert t.supervisor is not None
        view = t.supervisor.view
        t.supervisor.view = replace(
            view, stations=[replace(view.stations[0], queue_depth=9), view.stations[1]]
        )
        await until(pilot, lambda: cells(table, "ST01")[4] == "9")
        assert list(table.rows) == row_keys


async def test_the_stations_table_shows_each_database_size_and_fits_80_columns() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(StationsTable).row_count == 2)
        table = t.app.screen.query_one(StationsTable)
        assert cells(table, "ST01")[8] == "12M"  # 12 MiB, as the station last reported it
        assert cells(table, "ST02")[8] == "—"  # an older station that does not say
        assert table.virtual_size.width <= min(80, table.size.width), (table.virtual_size, table.size)
