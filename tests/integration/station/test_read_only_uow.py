"""Reads on the station database never wait for the writer: a view or a sync status read goes on while a long
write (say, a snapshot apply) holds the write lock, and sees the last committed state."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.station.store.db import open_station_db
from app.station.store.sync_store import SqlSyncStore
from app.station.store.uow import SqlUnitOfWorkFactory
from tests.integration.station.test_station_db import sqlite_picker


def test_views_and_sync_status_reads_go_on_while_a_long_write_holds_the_lock(tmp_path: Path) -> None:
    rig = sqlite_picker(tmp_path / "st.db")
    engine = open_station_db(tmp_path / "st.db")
    store = SqlSyncStore(engine, "boot-1")
    depth = store.depth()
    with engine.connect() as writer:
        writer.execute(text("UPDATE sync_state SET detail = 'applying a snapshot'"))  # BEGIN IMMEDIATE held
        writer.execute(text("DELETE FROM outbox"))
        started = time.perf_counter()
        view = rig.station.line_view()
        session = rig.station.session_view()
        seen = (store.depth(), store.oldest_unacked_wall() is not None, store.cursor(), store.last_seq())
        waited = time.perf_counter() - started
        writer.rollback()
    assert waited < 1.0  # not the 5 s busy timeout, and no "database is locked"
    assert view is not None and view.work_id == "W-1" and session.operator == "OP-1001"
    assert seen[0] == depth > 0 and seen[1]  # the committed outbox, not the writer's uncommitted delete


def test_a_read_only_unit_of_work_cannot_commit(tmp_path: Path) -> None:
    uow = SqlUnitOfWorkFactory(open_station_db(tmp_path / "st.db"), "boot-1")
    with uow.read_only() as u, pytest.raises(RuntimeError, match="read-only"):
        u.commit()
