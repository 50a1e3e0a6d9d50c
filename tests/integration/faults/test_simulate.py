"""`aisle simulate` run small: real server and station processes pick and pack everything, report throughput,
and the invariant checks it ends with do catch a lost event and a doubled stock move."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from app.cli.simulation import invariants as inv
from app.cli.simulation.processes import AISLE
from app.cli.simulation.station_db import StationDb
from app.server.db.database import Database

pytestmark = pytest.mark.slow


def test_simulate_picks_and_packs_every_order_and_reports_all_invariants_hold(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*AISLE, "simulate", "--stations", "2", "--orders", "5", "--error-rate", "0.2", "--skus", "60",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=150,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "picking: 5 orders" in out and "packing: 5 orders" in out and "scans/s" in out, out
    assert "BROKEN" not in out
    assert "invariants: I1 ok, I2 ok, I3 ok, I4 ok, I6 ok, I7 ok, stock ok, completion ok" in out

    # The checks are not vacuous: lose one event of a station and double one stock move on the server.
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    stations = [StationDb(p, p.stem) for p in sorted(tmp_path.glob("SIM*-P01.db"))]
    assert stations and inv.check_replicas(db, stations) == [] and inv.check_effects(db) == []
    with sqlite3.connect(tmp_path / "server.db") as conn:
        rid = stations[0].replica_id()
        conn.execute(
            "DELETE FROM sync_events WHERE replica_id = ? AND seq = (SELECT max(seq) FROM sync_events "
            "WHERE replica_id = ?)",
            (rid, rid),
        )
        conn.execute(
            "INSERT INTO stock_moves (stock_item_id, delta, reason, order_id, note, actor, at) "
            "SELECT stock_item_id, delta, reason, order_id, note, actor, at FROM stock_moves "
            "WHERE reason = 'pick' LIMIT 1"
        )
    broken = {v.invariant for v in inv.check_replicas(db, stations) + inv.check_effects(db)}
    db.dispose()
    assert {"I1", "I3", "I2", "stock"} <= broken
