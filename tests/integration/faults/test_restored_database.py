"""A station database replaced by an old copy of itself: same replica id, a lower seq than the server holds.

The station must never reuse a seq silently: it notices on its first pull that the server holds more of its
seqs than it wrote (server_ahead), or the server refuses its first reused seq (seq_reuse_mismatch, with an
exception for the supervisor); either way it stops pushing and says so. Nothing is lost (every event of the
newer database is on the server once, I1-I3),
nothing is applied twice (I2, stock), and the restored database keeps its new events unacknowledged (I6).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import OutOfScans
from app.cli.simulation.processes import StationProcess
from app.cli.simulation.station_db import StationDb
from sync.server.models.work import FloorException
from tests.integration.faults.conftest import FaultFloor, copy_sqlite

pytestmark = pytest.mark.slow


def _pick(ff: FaultFloor, st: StationProcess, scans: int, seed: int) -> None:
    picker = ff.picker(st, seed=seed, error_rate=0.0)
    picker.budget = scans
    with pytest.raises(OutOfScans):
        picker.run()


def test_station_restored_from_an_old_copy_is_stopped_and_nothing_is_lost_or_doubled(
    fault_floor: FaultFloor,
) -> None:
    st = fault_floor.station("R1")
    _pick(fault_floor, st, 8, seed=1)
    assert st.finish()["outbox_depth"] == 0  # type: ignore[index]
    old, newer = fault_floor.tmp / "R1-backup.db", fault_floor.tmp / "R1-newer.db"
    copy_sqlite(st.db, old)

    st.start()
    _pick(fault_floor, st, 8, seed=2)
    assert st.finish()["outbox_depth"] == 0  # type: ignore[index]
    copy_sqlite(st.db, newer)
    old_last = StationDb(old).last_seq()
    assert StationDb(newer).last_seq() > old_last

    for suffix in ("", "-wal", "-shm"):
        st.db.with_name(st.db.name + suffix).unlink(missing_ok=True)
    copy_sqlite(old, st.db)  # the disk was restored from last night's backup
    since = len(st.printed)
    st.drain_seconds = 3  # its outbox cannot drain any more: do not wait for it at the end
    st.start()
    _pick(fault_floor, st, 6, seed=2)  # the operator picks the same lines again
    stopped = st.finish(timeout=60)

    states = [
        x["sync"] if isinstance(x.get("sync"), str) else x.get("sync", {}).get("state")
        for x in st.printed[since:]
    ]
    # Told at once: the first pull shows the server ahead of this database (server_ahead), or the first push
    # of a reused seq is refused (seq_reuse_mismatch, which also raises an alarm for the supervisor).
    stop = {"server_ahead", "seq_reuse_mismatch"}
    assert stop & set(states), f"the operator was not told: {states}"
    assert stopped is not None and stopped["sync"] in stop
    assert StationDb(st.db).sync_status()[0] in stop
    with fault_floor.db.session_scope() as s:
        alarms = s.scalars(select(FloorException).where(FloorException.kind == "seq_reuse_mismatch")).all()
    assert all(a.station_id == "R1" for a in alarms)
    assert alarms or "seq_reuse_mismatch" not in states  # a refused reused seq always alarms the supervisor

    assert [str(v) for v in inv.check_replicas(fault_floor.db, [StationDb(newer, "R1")])] == []  # I1-I3
    assert [str(v) for v in inv.check_effects(fault_floor.db)] == []  # I2, I4, stock: nothing twice
    restored = StationDb(st.db, "R1").outbox()
    new_rows = [r for r in restored if r.seq > old_last]
    assert new_rows and not any(r.acked for r in new_rows)  # kept, never marked acknowledged (I6)
