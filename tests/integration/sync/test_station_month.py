"""A station through a simulated month (docs/sync.md rule 2): its database stays bounded, nothing
unacknowledged is ever pruned, and the server shows the file's size to the supervisor.

Virtual time: the server clock and the station's FakeClock move a day at a time; pushes are acknowledged
by the real in-process server. Pruning runs where production runs it, in the sync worker's tick, between
rounds, with the retention cut to two days so that day 3 is already the steady state.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from app.cli.simulation import invariants as inv
from app.cli.simulation.station_db import StationDb
from app.station.services.commands import ClaimWork
from app.station.store import tables as t
from app.station.store.db import WAL_LIMIT_BYTES
from app.station.store.prune import SqlPruner
from sync.worker import SyncWorker
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Clock, release_orders
from tests.support.station_rig import PICKER, RED_MUG, StationRig

DAY = 86400.0
RETENTION_S = 2 * DAY
ORDERS_A_DAY, NOISE_A_DAY = 3, 60  # three picks of four units, and sixty stray scans (all recorded)
SCANS_A_DAY = NOISE_A_DAY + ORDERS_A_DAY * 8  # a claim, a tote, a location, four units and CMD-DONE each


class Month:
    """The station, its sync worker on a monotonic clock the test moves, and the days gone by."""

    def __init__(self, server: Server, clock: Clock, db: Path) -> None:
        self.server, self.clock = server, clock
        self.rig = StationRig(server, "PM", db)
        self.mono = 0.0
        # a small file: its free pages go back to the disk from 16 on (1 MiB in production)
        pruner = SqlPruner(self.rig.engine, RETENTION_S, batch=100, reclaim_min_pages=16)
        self.worker = SyncWorker(
            self.rig.client,
            housekeeping=lambda: pruner.run(self.rig.clock.wall()).more,
            now=lambda: self.mono,
        )
        self.totes = 0

    def shift(self, day: int) -> None:
        """A day's work: receive stock, pick three orders one by one, scan noise in between."""
        assert self.server.post("/stock/receipts", {"sku": "MUG-RED", "location": "A-01-02-1", "qty": 12})
        for k in range(ORDERS_A_DAY):
            if self.rig.link.up:
                release_orders(self.server, order_body(f"D{day}-{k}", lines=[("MUG-RED", 4)]))
                assert self.rig.station.handle(ClaimWork()).accepted
                self.totes += 1
                scans = (f"T-{self.totes:04d}", "A-01-02-1", *[RED_MUG] * 4, "CMD-DONE")
                assert [self.rig.scan(x).accepted for x in scans] == [True] * len(scans)
            for _ in range(NOISE_A_DAY // ORDERS_A_DAY):
                self.rig.scan("XYZ-0000")  # refused, and still a recorded scan with its event

    def night(self) -> None:
        """Sync rounds (push, pull, housekeeping) an hour apart, then the rest of the day passes."""
        for _ in range(3):
            self.mono += 3600.0
            self.worker.tick()
        self.clock.now += DAY
        self.rig.clock.advance(DAY)

    def file_bytes(self) -> int:
        """The database's own size: the file once the WAL is written back into it (the test's checkpoint
        waits for it; production checkpoints without waiting, and the WAL is bounded on its own)."""
        assert wal_bytes(self.rig.db) <= WAL_LIMIT_BYTES
        raw = self.rig.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
        return os.path.getsize(self.rig.db)


def wal_bytes(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def count(month: Month, table: object) -> int:
    with month.rig.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_month_of_shifts_keeps_the_file_bounded_and_every_unacknowledged_scan(
    stocked: Server, clock: Clock, tmp_path: Path
) -> None:
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    m = Month(stocked, clock, tmp_path / "pm.db")
    m.rig.pull()
    assert m.rig.scan("OP-1001").code == "signed_in"
    sizes: dict[int, int] = {}
    first_unacked = 0  # the first scan made offline (day 20)
    for day in range(1, 31):
        if day == 20:
            m.rig.link.up = False  # three days offline: longer than the retention
        if day == 23:
            held = [r.seq for r in m.rig.store.events_from(1, 100_000) if r.seq >= first_unacked]
            assert held == list(range(first_unacked, m.rig.store.last_seq() + 1))  # every one still here
            assert count(m, t.scans) >= 3 * NOISE_A_DAY  # and the scans they came from
            m.rig.link.up = True
        m.shift(day)
        if day == 20:
            first_unacked = m.rig.store.first_unacked_seq() or 0
            assert first_unacked > 1
        m.night()
        sizes[day] = m.file_bytes()

    assert m.rig.store.depth() == 0
    assert sizes[30] <= 1.5 * sizes[3], sizes  # not pruned, it grows sixfold by day 30
    # the retention's two days and today's shift, not thirty days
    assert count(m, t.scans) <= 3 * SCANS_A_DAY and count(m, t.outbox) <= 3 * SCANS_A_DAY
    assert count(m, t.work_units) <= 3 * ORDERS_A_DAY
    dbs = [StationDb(m.rig.db, "PM")]
    assert [str(v) for v in inv.check_replicas(stocked.db, dbs)] == []  # all of it on the server, once
    assert m.rig.store.oldest_retained_seq() not in (None, 1)  # and the old part gone from the station

    listed = {s["station_id"]: s for s in stocked.get("/stations").json()["stations"]}
    assert (
        0 < listed["PM"]["db_bytes"] <= sizes[30] + WAL_LIMIT_BYTES
    )  # as its last push reported it (with the WAL)
