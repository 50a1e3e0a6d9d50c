"""The status bar says exactly why the server refuses the station's token (issue 12, 3): the real App on a
real station and sync worker, against the real server app (Pilot)."""

# ruff: noqa: F811  (the server fixtures are imported so pytest finds them here; parameters reuse their names)
from __future__ import annotations

from pathlib import Path

from app.bootstrap.terminal import WorkerHealth
from app.config import Settings
from app.station.ui.factory import create_station_app
from app.station.ui.widgets.status_bar import StatusBar
from devices.keyboard import KeyboardScanner
from sync.worker import SyncWorker
from tests.integration.server.conftest import Server, db_url, pg_url, server, stocked  # noqa: F401
from tests.integration.sync.test_token_refused import FOR_ST02, refused_rig
from tests.ui.conftest import FROZEN_WALL, text, until


async def test_a_token_made_for_another_station_is_named_in_the_status_bar(
    stocked: Server, tmp_path: Path
) -> None:
    rig = refused_rig(stocked, tmp_path / "st.db")
    worker = SyncWorker(rig.client)
    worker.step()  # one round with the server, as the running worker makes
    app = create_station_app(
        Settings(),
        rig.station,
        KeyboardScanner(),
        role="picker",
        sync=WorkerHealth(worker),
        wall_clock=lambda: FROZEN_WALL,
    )
    async with app.run_test(size=(220, 24)) as pilot:
        await until(pilot, lambda: FOR_ST02 in text(app.screen.query_one(StatusBar)))
        assert f"⚠ {FOR_ST02}" in text(app.screen.query_one(StatusBar))
