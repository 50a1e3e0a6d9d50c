"""A station database written by a newer version of Aisle is left as it is, the operator told what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.station.store import db as station_db
from app.station.store.upgrade import UpgradeFailed, open_and_upgrade


def test_a_database_from_a_newer_version_is_left_alone_and_the_operator_told_to_run_that_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "station.db"
    station_db.open_station_db(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(UpgradeFailed, match="written by a newer version of Aisle") as told:
        open_and_upgrade(path)
    assert "revision 0099" in str(told.value) and station_db.schema_version(path) == "0099"


def test_a_database_at_this_versions_revision_opens(tmp_path: Path) -> None:
    path = tmp_path / "station.db"
    station_db.open_station_db(path).dispose()
    open_and_upgrade(path).dispose()
    assert station_db.schema_version(path) == station_db.SCHEMA_HEAD
