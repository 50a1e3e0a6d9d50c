"""A station database replaced by an old copy of itself: same replica id, a lower seq than the server holds.

The station must never reuse a seq silently: it notices on its first pull that the server holds more of its
seqs than it wrote (server_ahead), or the server refuses its first reused seq (seq_reuse_mismatch, with an
exception for the supervisor). Either way it re-keys by itself: a new replica takes over its unacknowledged
events, registers (the supervisor gets a `database_restored` exception) and drains, with nobody stepping in.
Nothing is lost (every event of both databases is on the server once by event_id, I1-I3), nothing is
applied twice (I2, stock), and nothing was marked acknowledged that the server does not hold (I6).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import OutOfScans
from app.cli.simulation.processes import StationProcess
from app.cli.simulation.station_db import StationDb
from app.server.work.models import FloorException
from sync.client import STOPPED_STATES
from tests.integration.faults.conftest import FaultFloor, copy_sqlite

pytestmark = pytest.mark.slow


def _pick(ff: FaultFloor, st: StationProcess, scans: int, seed: int) -> None:
    picker = ff.picker(st, seed=seed, error_rate=0.0)
    picker.budget = scans
    with pytest.raises(OutOfScans):
        picker.run()


def test_station_restored_from_an_old_copy_re_keys_by_itself_and_nothing_is_lost_or_doubled(
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
    old_last, old_replica = StationDb(old).last_seq(), StationDb(old).replica_id()
    assert StationDb(newer).last_seq() > old_last

    for suffix in ("", "-wal", "-shm"):
        st.db.with_name(st.db.name + suffix).unlink(missing_ok=True)
    copy_sqlite(old, st.db)  # the disk was restored from last night's backup
    since = len(st.printed)
    st.start()
    _pick(fault_floor, st, 6, seed=2)  # the operator picks the same lines again
    stopped = st.finish(timeout=60)

    states = {
        x["sync"] if isinstance(x.get("sync"), str) else x.get("sync", {}).get("state")
        for x in st.printed[since:]
    }
    assert not states & set(STOPPED_STATES), f"sync stopped and waited for a person: {states}"
    told = [x["sync"].get("notice", "") for x in st.printed[since:] if isinstance(x.get("sync"), dict)]
    told += [x.get("notice", "") for x in st.printed[since:]]  # on a scan's line, or on the last line
    assert any(n.startswith("database was restored from a copy") for n in told)  # the operator hears of it
    assert stopped is not None and stopped["outbox_depth"] == 0, stopped  # drained by itself (I7)
    restored = StationDb(st.db, "R1")
    assert restored.replica_id() != old_replica  # it goes on under a new replica
    assert restored.last_seq() <= old_last + 6 and restored.outbox()[0].seq == 1
    status, detail = restored.sync_status()
    assert status == "rekeyed" and "database was restored from a copy: re-sent" in detail, (status, detail)
    with fault_floor.db.session_scope() as s:
        alarms = s.scalars(select(FloorException).where(FloorException.station_id == "R1")).all()
    kinds = {a.kind for a in alarms}
    assert "database_restored" in kinds, kinds  # the supervisor hears of it

    # I1-I3 and I6 for both databases (the retired replica's rows too, by event_id); I2 and stock
    stations = [StationDb(newer, "R1"), restored]
    assert [str(v) for v in inv.check_replicas(fault_floor.db, stations)] == []
    assert [str(v) for v in inv.check_effects(fault_floor.db)] == []
    retired = restored.retired_outbox()  # the restored copy's rows (and scans made before the re-key), kept
    assert {r.replica_id for r in retired} == {old_replica}
    assert [r.seq for r in retired] == list(range(1, len(retired) + 1)) and len(retired) >= old_last
    resent = [r.new_seq for r in retired if r.new_seq is not None]
    assert resent == list(range(1, len(resent) + 1)) and all(r.acked for r in retired[:old_last])
