"""A supervisor revokes the work of a station that is offline and still picking; another station takes it.

When the first station comes back, its picks under the old token are recorded as conflicts (and it hears
so), never applied to the new holder's progress: each line ends with exactly the units the new holder picked
on top of what was synced before the revoke (I4), stock moved once per applied pick (I2), all drained (I7),
and after a final pull neither station leases a line the server does not say it holds (I5).
"""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx
import pytest
from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import OutOfScans
from app.cli.simulation.station_db import StationDb
from app.cli.simulation.warehouse import make_token
from app.server.stations.models import SyncEvent
from app.server.work.models import FloorException, WorkLine
from tests.integration.faults.conftest import FaultFloor, copy_sqlite
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow


def _wait_synced(db: StationDb, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while db.depth() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert db.depth() == 0


def test_picks_under_a_revoked_lease_come_back_as_conflicts_never_applied(fault_floor: FaultFloor) -> None:
    with TcpProxy(fault_floor.server.port) as proxy:
        k1 = fault_floor.station("V1", server_url=f"http://127.0.0.1:{proxy.port}")
        first = fault_floor.picker(k1, seed=3, error_rate=0.0)
        first.budget = 9
        with pytest.raises(OutOfScans):
            first.run()
        _wait_synced(StationDb(k1.db))
        work_id = next(x["work"] for x in reversed(k1.printed) if x.get("work"))
        proxy.cut()
        offline = fault_floor.picker(k1, seed=4, error_rate=0.0)
        offline.budget = 8
        with pytest.raises(OutOfScans):
            offline.run()

        supervisor = {"Authorization": f"Bearer {make_token(fault_floor.db, 'supervisor', 'sup')}"}
        resp = httpx.post(f"{fault_floor.server.url}/api/v1/work/{work_id}/revoke", headers=supervisor)
        assert resp.status_code == 200 and resp.json()["revoked"] >= 1, resp.text

        k2 = fault_floor.station("V2")
        taker = fault_floor.picker(k2, seed=5)
        done = threading.Thread(target=taker.run, daemon=True)
        done.start()
        done.join(90)
        assert not done.is_alive() and taker.tally.problems == []
        assert k2.finish()["outbox_depth"] == 0  # type: ignore[index]

        proxy.heal()
        stopped = k1.finish()
        assert stopped is not None and stopped["outbox_depth"] == 0

    with fault_floor.db.session_scope() as s:
        stale = (
            s.execute(
                select(SyncEvent.outcome).where(SyncEvent.station_id == "V1", SyncEvent.type == "ItemPicked")
            )
            .scalars()
            .all()
        )
        lines = s.scalars(select(WorkLine)).all()
        conflicts = s.scalars(
            select(FloorException).where(
                FloorException.kind == "sync_conflict", FloorException.station_id == "V1"
            )
        ).all()
    assert "accepted_conflict" in stale and "accepted" in stale  # before the revoke applied, after: conflict
    assert conflicts
    assert all(ln.picked == ln.qty and ln.status == "picked" for ln in lines if ln.status != "cancelled")
    told = [r for r in StationDb(k1.db).outbox() if r.outcome == "accepted_conflict"]
    assert told  # the stale station learnt the outcome of its picks
    assert fault_floor.violations() == []  # I1-I4, I6, I7, stock
    assert fault_floor.converged([k1, k2]) == []  # I5: the revoked station no longer leases the lines

    # and the I5 check would see it if the revoked station still held a line
    tampered = fault_floor.tmp / "V1-tampered.db"
    copy_sqlite(k1.db, tampered)
    with sqlite3.connect(tampered) as conn:
        conn.execute(
            "UPDATE work_lines SET status = 'open' WHERE line_id = (SELECT min(line_id) FROM work_lines)"
        )
    diverged = inv.check_convergence(fault_floor.db, [StationDb(tampered, "V1")])
    assert [v.invariant for v in diverged] == ["I5"], diverged
