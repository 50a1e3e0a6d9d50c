"""The terminal names the station database it uses (help), and when the sync client sets a database of
another server aside, says where it went and shows the clean database's state (issue 12, 2)."""

from __future__ import annotations

from app.config import Settings
from app.station.services.ports import StationSession
from app.station.services.terminal_ports import SyncHealth
from app.station.ui.factory import create_station_app
from app.station.ui.widgets.status_bar import StatusBar
from devices.keyboard import KeyboardScanner
from devices.scan import Scan
from tests.support.ui_fakes import FakeSync
from tests.ui.conftest import FROZEN_WALL, picker_rig, text, until


def terminal(database: str = "/var/lib/aisle/station-ST01.db") -> tuple:  # type: ignore[type-arg]
    rig, sync = picker_rig(), FakeSync()
    app = create_station_app(
        Settings(),
        rig.station,
        KeyboardScanner(),
        role="picker",
        sync=sync,
        wall_clock=lambda: FROZEN_WALL,
        database=database,
    )
    return app, rig, sync


async def test_help_names_the_database_file_in_use() -> None:
    app, _rig, _sync = terminal()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.last_answer is not None)
        await pilot.press("f1")
        await pilot.pause()
        shown = "\n".join(text(w) for w in app.screen.query("Static"))
        assert "Database: /var/lib/aisle/station-ST01.db" in shown


async def test_a_database_set_aside_is_told_and_the_screen_starts_from_the_clean_one() -> None:
    app, rig, sync = terminal()
    async with app.run_test(size=(200, 24)) as pilot:
        await until(pilot, lambda: app.last_answer is not None)
        app.terminal.scanner.push(Scan("OP-1001", source="keyboard"))  # type: ignore[union-attr]
        await until(pilot, lambda: app.status.operator == "Ann")
        rig.uow.store.session = StationSession()  # the sync thread emptied the database: nobody signed in
        rig.uow.store.work.clear()
        news = (
            "database belonged to server A, not this one (B): moved to st.db.server-A-1.bak (its 3 unsent …"
        )
        sync.current = SyncHealth(True, notice=news, set_aside="/x/st.db.server-A-1.bak")
        await until(pilot, lambda: news in text(app.screen.query_one(StatusBar)))
        await until(pilot, lambda: app.status.operator == "")
        assert app.last_answer is not None and app.last_answer.snapshot.session.operator is None
