"""A station cut off for three days, in virtual time (docs/sync.md: partitions from a minute to days, S8, S9).

Offline, the station picks on its leases until they run out on its boot clock, then refuses scans on those
lines and says why. The server hands the lines to another station only after expires_at plus grace on its own
clock. On healing, every event of the cut-off station lands exactly once (I1-I3); its picks under the old
token are conflicts, never added to the new holder's progress (I4, I2); after a pull both stations lease
exactly what the server says they hold (I5).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.station_db import StationDb
from app.server.stations.models import SyncEvent
from app.station.services.commands import ClaimWork
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Clock, order, release_orders, stock_of
from tests.support.station_rig import PICKER, RED_MUG, StationRig

HOUR, DAY = 3600.0, 86400.0
LEASE, GRACE, MARGIN = 8 * HOUR, 60.0, 60.0  # server defaults; the client's lease margin


def _advance(clock: Clock, *stations: StationRig, seconds: float) -> None:
    """Time passes for everyone: the server clock and each station's boot and wall clocks."""
    clock.now += seconds
    for st in stations:
        st.clock.advance(seconds)


def test_three_days_offline_picks_until_the_lease_runs_out_and_heals_without_loss_or_double_picks(
    stocked: Server, clock: Clock, tmp_path: Path
) -> None:
    (order_id,) = release_orders(stocked, order_body("P1", lines=[("MUG-RED", 4)]))
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    a, b = StationRig(stocked, "PA", tmp_path / "pa.db"), StationRig(stocked, "PB", tmp_path / "pb.db")
    a.pull()
    assert a.sign_in_and_claim().accepted
    a.sync()

    a.link.up = False
    _advance(clock, a, b, seconds=HOUR)
    assert all(a.scan(x).accepted for x in ("T-0001", "A-01-02-1", RED_MUG))
    _advance(clock, a, b, seconds=LEASE - HOUR - MARGIN - 2)  # 2 s before the station's deadline
    assert a.scan(RED_MUG).accepted
    _advance(clock, a, b, seconds=4)
    late = a.scan(RED_MUG)
    assert (late.accepted, late.code) == (False, "lease_expired")
    assert "may now be with another station" in late.message

    b.pull()
    assert b.sign_in_and_claim().code == "no_work"  # expired on the server too, but still in its grace
    _advance(clock, a, b, seconds=MARGIN + GRACE)
    assert b.station.handle(ClaimWork()).accepted
    assert [b.scan(x).accepted for x in ("T-0002", "A-01-02-1", *[RED_MUG] * 4, "CMD-DONE")] == [True] * 7
    b.sync()

    _advance(clock, a, b, seconds=3 * DAY)
    assert a.scan(RED_MUG).code == "lease_expired"  # still refused three days later, still recorded
    a.link.up = True
    a.sync()

    with stocked.db.session_scope() as s:
        outcomes = s.execute(
            select(SyncEvent.station_id, SyncEvent.outcome).where(SyncEvent.type == "ItemPicked")
        ).all()
    assert sorted(outcomes) == [("PA", "accepted_conflict")] * 2 + [("PB", "accepted")] * 4
    assert [li["picked"] for li in order(stocked, order_id)["lines"]] == [4]  # B's picks only
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (1, 0)}  # 5 on hand, 4 picked once
    dbs = [StationDb(a.db, "PA"), StationDb(b.db, "PB")]
    assert [str(v) for v in inv.check_replicas(stocked.db, dbs)] == []  # I1, I3, I6, I7
    assert [str(v) for v in inv.check_effects(stocked.db)] == []  # I2, I4, stock
    assert [str(v) for v in inv.check_convergence(stocked.db, dbs)] == []  # I5 after A's pull
    view = a.station.line_view()
    assert StationDb(a.db).leases() == {} and (view is None or view.location is None)  # nothing to pick
