"""A station whose wall clock is hours off, or jumps mid-shift (docs/sync.md S5, station rule 6, S13).

The wall clock decides nothing: leases run on the boot clock, events apply in seq order whatever their
`created_wall` says, and the server only reports the station's clock offset to the supervisor.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.server.stations.models import SyncEvent
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock, order
from tests.support.fakes import FakeClock
from tests.support.station_rig import PICKER, RED_MUG, StationRig

HOUR = 3600.0


def _station(stocked: Server, clock: Clock, tmp_path: Path) -> StationRig:
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    rig = StationRig(stocked, "CK1", tmp_path / "ck1.db", FakeClock(wall_s=clock.now))
    rig.pull()
    assert rig.sign_in_and_claim().accepted
    return rig


def test_a_wall_clock_jumping_back_and_forth_changes_no_verdict_and_events_apply_in_seq_order(
    stocked: Server, clock: Clock, released: list[int], tmp_path: Path
) -> None:
    rig = _station(stocked, clock, tmp_path)
    rig.clock.wall_s -= 2 * HOUR  # NTP steps the clock back two hours mid-shift
    verdicts = [rig.scan("T-0001"), rig.scan("A-01-02-1"), rig.scan(RED_MUG)]
    rig.clock.wall_s += 5 * HOUR  # … and later three hours ahead of the truth
    verdicts.append(rig.scan(RED_MUG))
    assert [v.code for v in verdicts if not v.accepted] == []
    rig.push()

    with stocked.db.session_scope() as s:
        rows = s.execute(
            select(SyncEvent.seq, SyncEvent.created_wall, SyncEvent.outcome)
            .where(SyncEvent.replica_id == rig.store.replica_id())
            .order_by(SyncEvent.id)
        ).all()
    seqs, walls = [r.seq for r in rows], [r.created_wall for r in rows]
    assert seqs == list(range(1, rig.store.last_seq() + 1))  # stored in the order applied: by seq
    assert walls != sorted(walls)  # although their wall times go backwards
    assert {r.outcome for r in rows} == {"accepted"}
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [2]


def test_the_supervisor_sees_how_far_off_the_station_clock_is(
    stocked: Server, clock: Clock, released: list[int], tmp_path: Path
) -> None:
    rig = _station(stocked, clock, tmp_path)
    rig.clock.wall_s = clock.now - 2 * HOUR
    rig.pull()
    view = stocked.get("/stations", role="supervisor").json()["stations"]
    assert [(s["station_id"], s["clock_offset_s"]) for s in view] == [("CK1", -2 * HOUR)]


def test_a_wall_clock_jump_past_the_lease_expires_nothing_but_time_suspended_does(
    stocked: Server, clock: Clock, released: list[int], tmp_path: Path
) -> None:
    rig = _station(stocked, clock, tmp_path)
    assert rig.scan("T-0001").accepted
    rig.clock.wall_s += 3 * 24 * HOUR  # the wall clock says three days passed: the lease is still good
    assert rig.scan("A-01-02-1").accepted
    rig.clock.wall_s -= 3 * 24 * HOUR
    rig.clock.boot_s += 8 * HOUR  # eight hours suspended (the boot clock counts them): the lease ran out
    refused = rig.scan(RED_MUG)
    assert (refused.accepted, refused.code) == (False, "lease_expired")
    assert "Reconnect and sync" in refused.message
