"""A station restarted in the middle of a pick shows the same line, on a real SQLite station database."""

from __future__ import annotations

from pathlib import Path

from app.station.store.db import open_station_db
from app.station.store.uow import SqlUnitOfWorkFactory
from app.station.ui.widgets.big_number import BigNumber
from app.station.ui.widgets.status_bar import StatusBar
from tests.ui.conftest import build, picker_rig, press, scan, started, text
from tests.unit.station.conftest import RED, TEA, Rig, gtin, make_rig


def sqlite_rig(path: Path) -> Rig:
    return make_rig("picker", SqlUnitOfWorkFactory(open_station_db(path), "boot-1"))


async def test_restart_in_the_middle_of_a_pick_resumes_at_the_same_line(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    first = build("picker", picker_rig(sqlite_rig(db)))
    async with first.run(size=(80, 24)) as pilot:
        await started(pilot, first)
        await scan(pilot, first, "OP-1001")
        await press(pilot, first, "w")
        for code in ("T-0001", "A-01-01-1", gtin(TEA), "A-03-02-1", gtin(RED)):
            await scan(pilot, first, code)
        assert "Picked Red Mug 350ml (MUG-RED) into T-0001: 1 of 2" in text(
            first.app.screen.query_one("#verdict")
        )

    again = build("picker", sqlite_rig(db))  # a new process: new station, same database file
    async with again.run(size=(80, 24)) as pilot:
        await started(pilot, again)
        screen = again.app.screen
        numbers = [screen.query_one(f"#pick-{n}", BigNumber).value for n in ("location", "take", "taken")]
        assert numbers == ["A-03-02-1", "2", "1"]
        assert "Lines 1 / 2" in text(screen.query_one("#progress Label"))
        assert "Ann (picker)" in text(screen.query_one(StatusBar))
        await scan(pilot, again, gtin(RED))
        assert "All lines done" in text(screen.query_one("#prompt"))
