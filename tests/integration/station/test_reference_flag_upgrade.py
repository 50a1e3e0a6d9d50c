"""Station migration 0003 (issue 12, 2 and 3): a database that already pulled is upgraded as "reference data
loaded" (its badges are known, so an unknown one stays "unknown"); one that never pulled is not, and neither
knows its server until the next answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from app.station.store import db as station_db
from app.station.store.upgrade import open_and_upgrade


def _at_0002(path: Path, cursor: str | None) -> None:
    engine = station_db.open_station_db(path)
    with engine.begin() as conn:
        cfg = station_db.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE sync_state SET cursor = ?", (cursor,))


def _state(path: Path) -> tuple[int, str | None, float | None]:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT reference_loaded, server_id, first_pull_wall FROM sync_state").fetchone()
    return int(row[0]), row[1], row[2]


def test_a_database_that_pulled_is_upgraded_as_loaded(tmp_path: Path) -> None:
    path = tmp_path / "pulled.db"
    _at_0002(path, "e1.5.9")
    assert station_db.schema_version(path) == "0002"
    open_and_upgrade(path).dispose()
    assert station_db.schema_version(path) == station_db.SCHEMA_HEAD
    assert _state(path) == (1, None, None)


def test_a_database_that_never_pulled_is_not(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _at_0002(path, None)
    open_and_upgrade(path).dispose()
    assert _state(path) == (0, None, None)
