"""Pruning the station database (app/station/store/prune.py, docs/sync.md rule 2): the retention boundary,
the batches, and the rows that must stay (unacknowledged, inside the retention, still named by a scan)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, update

from app.bootstrap.station import build_station
from app.config import Settings
from app.station.services.ports import OutboxEntry, ScanRecord
from app.station.store import tables as t
from app.station.store.db import create_station_engine, migrate, open_station_db
from app.station.store.prune import SqlPruner
from app.station.store.records import SqlOutbox, SqlScanLog
from app.station.store.sync_store import SqlSyncStore

T0, HOUR = 1_780_000_000.0, 3600.0
RETENTION = 48 * HOUR


def fill(engine: Engine, n: int, wall: float, *, work_id: str | None = None) -> None:
    """`n` scans, each with its event, at station time `wall` (a scan's event carries the scan's wall)."""
    with engine.begin() as conn:
        for i in range(n):
            sid = f"{wall:.0f}-{i}-{work_id}"
            SqlScanLog(conn).add(ScanRecord(sid, "ST01", "OP-1", "X", "keyboard", "refused", "c", "m",
                                            wall, 0.0, work_id=work_id))  # fmt: skip
            payload = {"scan_id": sid, "pad": "x" * 200}
            SqlOutbox(conn).append(OutboxEntry(f"e-{sid}", "ScanNoted", 1, payload, wall))


def seqs(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(t.outbox.c.seq).order_by(t.outbox.c.seq)).scalars())


def rows(engine: Engine, table: t.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def checkpoint(engine: Engine) -> None:
    """Write the WAL back into the file (outside a transaction, as SQLite wants) so its size is the data's."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()


def test_only_acknowledged_rows_older_than_the_retention_go_in_batches_and_the_rest_stays(
    tmp_path: Path,
) -> None:
    engine = open_station_db(tmp_path / "st.db")
    store = SqlSyncStore(engine, "boot-1")
    fill(engine, 600, T0)
    fill(engine, 400, T0 + 10)
    fill(engine, 200, T0 + 20)  # seqs 1001..1200: never acknowledged
    assert store.mark_acked(600, T0, first=1) == 600
    assert store.mark_acked(1000, T0 + 100, first=601) == 400

    # the boundary: acknowledged exactly `retention` ago stays; a second longer goes
    assert SqlPruner(engine, RETENTION).run(T0 + RETENTION).total == 0
    one_batch = SqlPruner(engine, RETENTION, batch=500, max_batches=1).run(T0 + RETENTION + 1)
    assert (one_batch.counts, one_batch.more) == ({"outbox": 500}, True)  # one transaction, more to do
    rest = SqlPruner(engine, RETENTION, batch=500).run(T0 + RETENTION + 1)
    assert rest.counts["outbox"] == 100 and not rest.more
    assert seqs(engine) == list(range(601, 1201))  # acknowledged within the retention: kept
    assert rest.counts["scans"] == 600  # their scans went with them; the others' stay
    assert rows(engine, t.scans) == 600

    # years later: every acknowledged row is gone, not one unacknowledged row nor its scan
    SqlPruner(engine, RETENTION).run(T0 + 1000 * RETENTION)
    assert seqs(engine) == list(range(1001, 1201))
    assert store.first_unacked_seq() == 1001 and store.depth() == 200
    assert rows(engine, t.scans) == 200


def test_the_retained_outbox_stays_one_run_and_never_passes_what_the_server_acknowledged(
    tmp_path: Path,
) -> None:
    engine = open_station_db(tmp_path / "st.db")
    fill(engine, 10, T0)
    SqlSyncStore(engine, "boot-1").mark_acked(10, T0)
    with engine.begin() as conn:  # seq 4 acknowledged later (a clock step): rows after it wait for it
        conn.execute(update(t.outbox).where(t.outbox.c.seq == 4).values(acked_at=T0 + 10 * RETENTION))
    SqlPruner(engine, RETENTION).run(T0 + 2 * RETENTION)
    assert seqs(engine) == list(range(4, 11))  # a re-send from seq 4 finds every row it needs

    with engine.begin() as conn:  # marked acked but past the server's acknowledgement: a defect, kept
        conn.execute(update(t.sync_state).values(acked_through=6))
    SqlPruner(engine, RETENTION).run(T0 + 100 * RETENTION)
    assert seqs(engine) == [7, 8, 9, 10]


def test_closed_work_and_sealed_orders_go_once_no_scan_names_them_the_session_keeps_its_own(
    tmp_path: Path,
) -> None:
    engine = open_station_db(tmp_path / "st.db")
    unit = dict(
        kind="single", orders="[]", route="[]", totes="{}", awaiting_short_reason=False, created_wall=T0
    )
    with engine.begin() as conn:
        for work_id, state in (("W-OLD", "closed"), ("W-RECENT", "closed"), ("W-OPEN", "picking"),
                               ("W-MINE", "closed")):  # fmt: skip
            row = {"work_id": work_id, "state": state, "awaiting_short_reason": False, **unit}
            conn.execute(insert(t.work_units).values(**row))
        for order_id in ("O-SEALED", "O-OPEN"):
            state = "sealed" if order_id == "O-SEALED" else "verifying"
            conn.execute(insert(t.pack_orders).values(order_id=order_id, state=state, lines="[]", extra="{}"))
        conn.execute(update(t.station_session).values(work_id="W-MINE"))
    fill(engine, 3, T0, work_id="W-OLD")
    fill(engine, 3, T0 + 3 * RETENTION, work_id="W-RECENT")
    store = SqlSyncStore(engine, "boot-1")
    store.mark_acked(3, T0)
    store.mark_acked(6, T0 + 3 * RETENTION, first=4)

    done = SqlPruner(engine, RETENTION).run(T0 + 3 * RETENTION + 1)
    assert (done.counts["scans"], done.counts["work_units"], done.counts["pack_orders"]) == (3, 1, 1)
    with engine.connect() as conn:
        left = set(conn.execute(select(t.work_units.c.work_id)).scalars())
        orders = set(conn.execute(select(t.pack_orders.c.order_id)).scalars())
    assert left == {"W-RECENT", "W-OPEN", "W-MINE"} and orders == {"O-OPEN"}


def test_a_file_made_before_auto_vacuum_is_converted_once_and_pruning_gives_space_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    legacy = create_station_engine(path)
    migrate(legacy)
    legacy.dispose()
    raw = sqlite3.connect(path)  # as a file made by an earlier Aisle: auto_vacuum off
    raw.execute("PRAGMA auto_vacuum=NONE")
    raw.execute("VACUUM")
    assert raw.execute("PRAGMA auto_vacuum").fetchone() == (0,)
    raw.close()

    engine = open_station_db(path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2  # INCREMENTAL
    fill(engine, 3000, T0)
    SqlSyncStore(engine, "boot-1").mark_acked(3000, T0)
    checkpoint(engine)
    full = os.path.getsize(path)
    done = SqlPruner(engine, RETENTION).run(T0 + 2 * RETENTION)
    assert done.counts["outbox"] == 3000 and done.freed_pages > 0
    checkpoint(engine)
    assert os.path.getsize(path) < full / 3  # handed back to the disk, not only free inside the file


def test_the_station_wires_pruning_into_its_sync_worker_with_the_retention(tmp_path: Path) -> None:
    settings = Settings()
    parts = build_station(
        settings, "picker", "ST01", tmp_path / "st.db", server="http://127.0.0.1:9", token="", sync=True
    )
    assert parts.worker is not None and parts.worker.housekeeping is not None
    assert parts.worker.housekeeping() is False  # a new file: nothing to prune, nothing left
