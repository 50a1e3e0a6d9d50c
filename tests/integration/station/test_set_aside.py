"""Setting a database of another server aside loses nothing (app/station/store/set_aside.py): a scan committed
by another connection between the copy and the emptying makes it copy again, so the copy holds it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.station.store.db import open_station_db
from app.station.store.sync_store import SqlSyncStore

INSERT = (
    "INSERT INTO outbox (seq, event_id, type, v, payload, created_wall, sha256, acked) "
    "VALUES (?, ?, 'ScanNoted', 1, '{}', 1.0, 'x', 0)"
)


def test_a_scan_committed_during_the_copy_is_in_the_copy_and_the_database_starts_clean(
    tmp_path: Path,
) -> None:
    db = tmp_path / "station-ST01.db"
    engine = open_station_db(db)
    with sqlite3.connect(db) as conn:
        conn.execute(INSERT, (1, "e-1"))
    racing = {"done": False}

    def on_statement(sql: str) -> None:
        # another connection (the station thread) commits a scan right after the first copy was written
        if sql.startswith("BEGIN IMMEDIATE") and not racing["done"]:
            racing["done"] = True
            with sqlite3.connect(db) as other:
                other.execute(INSERT, (2, "e-2"))

    def traced(dbapi_conn: sqlite3.Connection, _record: Any, _proxy: Any) -> None:
        dbapi_conn.set_trace_callback(on_statement)

    event.listen(engine, "checkout", traced)
    store = SqlSyncStore(engine, "boot-1")
    old_replica = store.replica_id()
    done = store.set_aside("server-a", "server-b", 1_800_000_000.0)
    event.remove(engine, "checkout", traced)

    assert racing["done"] and done.unsent == 2
    with sqlite3.connect(f"file:{done.moved}?mode=ro", uri=True) as kept:
        assert [r[0] for r in kept.execute("SELECT event_id FROM outbox ORDER BY seq")] == ["e-1", "e-2"]
        assert kept.execute("SELECT replica_id FROM replica").fetchone()[0] == old_replica
    assert store.depth() == 0 and store.replica_id() != old_replica and store.server_id() == "server-b"
    assert not Path(f"{done.moved}.part").exists()
    assert Path(done.moved).name == "station-ST01.db.server-server-a-20270115T080000Z.bak"
