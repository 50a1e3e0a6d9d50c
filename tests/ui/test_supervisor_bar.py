"""The supervisor view's own top line (server, whether it answers, last refresh, who is signed in) and its
tables' headers, whole at 80 columns and wider."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from textual.widgets import DataTable

from app.station.services.floor import ExceptionRow, FloorView, OrderRow, StationRow
from app.station.ui.widgets.exceptions_table import ExceptionsTable
from app.station.ui.widgets.orders_table import OrdersTable
from app.station.ui.widgets.stations_table import StationsTable
from app.station.ui.widgets.supervisor_bar import (
    SupervisorBar,
    SupervisorState,
    render_supervisor_bar,
    server_label,
)
from tests.support.ui_fakes import FakeSupervisorSource
from tests.ui.conftest import FROZEN_WALL, Terminal, build, text, until


def supervisor(floor: FloorView | None = None) -> Terminal:
    t = build("supervisor", None, supervisor=FakeSupervisorSource(floor))
    t.app.settings = replace(t.app.settings, supervisor_refresh_s=0.1)
    return t


def bar(t: Terminal) -> str:
    return text(t.app.screen.query_one(SupervisorBar))


def clock(wall: float, fmt: str = "%H:%M:%S") -> str:
    return time.strftime(fmt, time.localtime(wall))


async def test_the_top_line_names_the_server_says_it_answers_and_when_it_was_read() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: "answering" in bar(t))
        line = bar(t)
        assert "server http://floor-server.test:8000" in line
        assert f"refreshed {clock(FROZEN_WALL)}" in line
        # nothing of a station's: this view has no station id, no scanner and no outbox of its own
        for station_word in ("ST01", "scanner", "DISCONNECTED", "OFFLINE", "unsynced", "online"):
            assert station_word not in line, line


async def test_the_top_line_says_since_when_the_server_does_not_answer_and_when_it_answers_again() -> None:
    t = supervisor()
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: "answering" in bar(t))
        assert t.supervisor is not None
        t.supervisor.down = True
        await until(pilot, lambda: "NOT ANSWERING" in bar(t))
        assert f"NOT ANSWERING since {clock(FROZEN_WALL)}" in bar(t)
        assert f"refreshed {clock(FROZEN_WALL)} (0s ago)" in bar(t)  # the view shown is the last good read
        t.supervisor.down = False
        await until(pilot, lambda: "● answering" in bar(t))
        assert "NOT ANSWERING" not in bar(t)


async def test_the_top_line_shows_who_is_signed_in_at_this_terminal() -> None:
    t = supervisor()
    t.app.status = replace(t.app.status, operator="Sue Visor", role="supervisor")
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: "answering" in bar(t))
        assert "Sue Visor (supervisor)" in bar(t)


def test_the_line_while_down_counts_the_minutes_and_hides_credentials_in_the_url() -> None:
    state = SupervisorState(
        server=server_label("https://ann:secret@aisle.example:8443/floor/"),
        answering=False,
        down_since=FROZEN_WALL - 180,
        refreshed_at=FROZEN_WALL - 185,
    )
    line = render_supervisor_bar(state, FROZEN_WALL)
    assert "server https://aisle.example:8443/floor" in line
    assert "secret" not in line and "ann" not in line
    assert f"NOT ANSWERING since {clock(FROZEN_WALL - 180)} (3m)" in line
    assert f"refreshed {clock(FROZEN_WALL - 185)} (3m ago)" in line
    assert "no server configured" in render_supervisor_bar(SupervisorState(), FROZEN_WALL)


def busy_floor(n: int = 40) -> FloorView:
    """More rows than fit, so every table also shows its vertical scrollbar."""
    return FloorView(
        stations=[
            StationRow(f"ST{i:02d}", "picker", "Annabelle Longname", "100001", 3, 2.0, i % 2 == 0, i, 9.0)
            for i in range(n)
        ],
        orders=[OrderRow(f"{1000 + i}", "backordered", 7200.0, "urgent", True) for i in range(n)],
        exceptions=[
            ExceptionRow(f"E{i}", "wrong_item", "x" * 80, f"ST{i:02d}", "100001", "", 60.0) for i in range(n)
        ],
    )


def header(table: DataTable[object]) -> str:
    """The header row as the terminal shows it (cropped to the table's visible width)."""
    return table.render_line(0).text


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
async def test_every_column_header_is_shown_whole_at_80_columns_and_wider(size: tuple[int, int]) -> None:
    t = supervisor(busy_floor())
    async with t.run(size=size) as pilot:
        await until(pilot, lambda: t.app.screen.query_one(ExceptionsTable).row_count == 40)
        await pilot.pause()
        for kind in (StationsTable, OrdersTable, ExceptionsTable):
            table = t.app.screen.query_one(kind)
            assert table.region.right <= size[0]
            shown = header(table)
            for label, _key, _width in kind.COLUMNS:
                assert f" {label} " in f" {shown} ", (kind.__name__, label, shown)
