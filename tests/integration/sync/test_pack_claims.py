"""Pack claims are exclusive: one bench packs an order; a second is told where it is being packed; a
supervisor revoke (or a holder silent longer than a lease) hands it over, and the first bench's late events
are fenced."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session

from app.server.db.tx import run_write
from app.server.work import pack_claims
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock, Station, new_station, order, pick_all


def _picked_into_tote(server: Server, picker: Station, tote: str = "T-0042") -> int:
    work = picker.claim()
    assert work is not None
    picker.push(pick_all(picker, work, tote=tote))
    return int(work["orders"][0])


def _pack(st: Station, label: str) -> dict[str, Any]:
    body = {"station_id": st.station_id, "replica_id": st.replica_id, "operator": "OP-2", "label": label}
    resp = st.post("/work/pack", body)
    assert resp.status_code == 200, resp.text
    got: dict[str, Any] = resp.json()
    return got


def _seal(st: Station, oid: int) -> str:
    ev = st.event(
        "OrderSealed", {"order_id": str(oid), "box": "S", "weight_g": 790, "expected_weight_g": 800}
    )
    outcome: str = st.push([ev]).json()["results"][0]["outcome"]
    return outcome


def test_a_second_bench_is_told_where_the_order_is_being_packed(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    oid = _picked_into_tote(stocked, st1)
    p1, p2 = new_station(stocked, "P1"), new_station(stocked, "P2")
    assert _pack(p1, "T-0042")["order"]["order_id"] == str(oid)
    refused = _pack(p2, "T-0042")
    assert refused["order"] is None
    assert refused["reason"].startswith(f"Order ORD-{oid} is being packed at station P1")
    assert _pack(p1, f"ORD-{oid}")["order"] is not None  # the holder may scan it again


def test_a_supervisor_revoke_hands_the_order_over_and_fences_the_first_bench(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    oid = _picked_into_tote(stocked, st1)
    p1, p2 = new_station(stocked, "P1"), new_station(stocked, "P2")
    _pack(p1, "T-0042")
    resp = stocked.post(f"/work/pack/{oid}/revoke", {"reason": "P1 scanner broken"}, role="supervisor")
    assert resp.status_code == 200 and resp.json() == {"order_id": oid, "stations": ["P1"]}
    assert _pack(p2, "T-0042")["order"] is not None
    assert _seal(p1, oid) == "accepted_conflict"
    assert order(stocked, oid)["status"] == "picked"
    assert _seal(p2, oid) == "accepted"
    assert order(stocked, oid)["status"] == "packed"
    again = stocked.post(f"/work/pack/{oid}/revoke", role="supervisor")
    assert again.status_code == 409 and "not being packed at any station" in again.json()["message"]


def test_a_hold_of_a_bench_silent_longer_than_a_lease_can_be_taken_over(
    stocked: Server, st1: Station, clock: Clock, released: list[int]
) -> None:
    oid = _picked_into_tote(stocked, st1)
    p1, p2 = new_station(stocked, "P1"), new_station(stocked, "P2")
    p1.pull()
    _pack(p1, "T-0042")
    settings = stocked.app.state.settings
    clock.now += settings.lease_seconds
    assert _pack(p2, "T-0042")["order"] is None
    clock.now += settings.lease_grace_seconds + 1
    assert _pack(p2, "T-0042")["order"]["order_id"] == str(oid)
    assert _seal(p1, oid) == "accepted_conflict"


def test_two_benches_claiming_one_tote_at_the_same_moment_get_it_once(
    stocked: Server, st1: Station, clock: Clock, released: list[int]
) -> None:
    oid = _picked_into_tote(stocked, st1)
    for bench in ("P1", "P2"):
        new_station(stocked, bench)
    first_claimed, first_may_commit = threading.Event(), threading.Event()
    results: dict[str, tuple[Any, str | None]] = {}

    def first(session: Session) -> tuple[Any, str | None]:
        got = pack_claims.pack_claim(session, "P1", "T-0042", clock.now, 3600)
        first_claimed.set()
        first_may_commit.wait(10)  # hold the transaction open while P2 claims
        return got

    def second() -> None:
        results["P2"] = run_write(
            stocked.db, lambda s: pack_claims.pack_claim(s, "P2", "T-0042", clock.now, 3600)
        )

    t1 = threading.Thread(target=lambda: results.__setitem__("P1", run_write(stocked.db, first)))
    t1.start()
    assert first_claimed.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    t2.join(0.5)
    assert t2.is_alive()  # P2 waits for P1's transaction, not read around it
    first_may_commit.set()
    t1.join(10)
    t2.join(10)
    assert results["P1"][0] is not None and results["P1"][0].order_id == str(oid)
    assert results["P2"][0] is None and "being packed at station P1" in (results["P2"][1] or "")
