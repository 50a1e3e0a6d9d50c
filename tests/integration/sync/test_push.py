"""Push (docs/sync.md S1–S5, S10–S12) through the real app on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.server.stations.models import Replica, SyncEvent
from app.server.stock.models import StockMove
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Station, make_event, new_station, order, pick_all, stock_of


def _events_on_server(server: Server, replica_id: str) -> list[int]:
    with server.db.session_scope() as s:
        return list(
            s.scalars(select(SyncEvent.seq).where(SyncEvent.replica_id == replica_id).order_by(SyncEvent.seq))
        )


def _last_seq(server: Server, replica_id: str) -> int:
    with server.db.session_scope() as s:
        return int(s.scalar(select(Replica.last_seq).where(Replica.replica_id == replica_id)) or 0)


def test_picking_a_whole_order_moves_stock_and_marks_the_order_picked(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None and work["orders"] == [str(released[0])]
    resp = st1.push(pick_all(st1, work))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["acked_through"] == st1.seq and body["expected_next"] == st1.seq + 1
    assert {r["outcome"] for r in body["results"]} == {"accepted"}
    got = order(stocked, released[0])
    assert got["status"] == "picked"
    assert [(li["picked"], li["reserved"]) for li in got["lines"]] == [(2, 0)]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0)}
    with stocked.db.session_scope() as s:
        moves = s.execute(select(StockMove.delta, StockMove.reason).where(StockMove.reason == "pick")).all()
    assert [tuple(m) for m in moves] == [(-2, "pick")]


def test_the_same_batch_twice_is_acknowledged_again_and_applied_once(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    batch = pick_all(st1, work)
    first, again = st1.push(batch), st1.push(batch)
    assert first.status_code == again.status_code == 200
    assert again.json()["acked_through"] == first.json()["acked_through"] == st1.seq
    assert again.json()["results"] == first.json()["results"]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0)}
    assert _events_on_server(stocked, st1.replica_id) == list(range(1, st1.seq + 1))


def test_same_seq_with_other_content_is_refused_and_nothing_advances(stocked: Server, st1: Station) -> None:
    assert st1.push([st1.event("ScanNoted", {"code": "ok"})]).status_code == 200
    other = make_event(1, "ScanNoted", {"code": "different"})
    nxt = make_event(2, "ScanNoted", {"code": "ok"})
    resp = st1.push([other, nxt])
    assert resp.status_code == 409
    assert resp.json()["error"] == "seq_reuse_mismatch" and resp.json()["seq"] == 1
    assert _last_seq(stocked, st1.replica_id) == 1
    assert _events_on_server(stocked, st1.replica_id) == [1]
    alarms = stocked.get("/exceptions", role="supervisor", kind="seq_reuse_mismatch").json()["items"]
    assert len(alarms) == 1 and alarms[0]["station_id"] == "ST01"


def test_a_gap_is_refused_with_the_seq_to_send_from(stocked: Server, st1: Station) -> None:
    assert st1.push([st1.event("ScanNoted", {})]).status_code == 200
    resp = st1.push([make_event(3, "ScanNoted", {})])
    assert resp.status_code == 409
    assert resp.json()["error"] == "gap" and resp.json()["expected_next"] == 2
    assert _last_seq(stocked, st1.replica_id) == 1


def test_a_batch_overlapping_what_was_applied_applies_only_the_new_part(
    stocked: Server, st1: Station
) -> None:
    e1, e2, e3 = (st1.event("ScanNoted", {"n": n}) for n in range(3))
    assert st1.push([e1, e2]).status_code == 200
    resp = st1.push([e1, e2, e3])
    assert resp.status_code == 200 and resp.json()["acked_through"] == 3
    assert _events_on_server(stocked, st1.replica_id) == [1, 2, 3]


def test_a_too_new_event_version_asks_for_an_upgrade_without_advancing(stocked: Server, st1: Station) -> None:
    resp = st1.push([make_event(1, "ScanNoted", {}), make_event(2, "ItemPicked", {}, v=9)])
    assert resp.status_code == 426
    assert resp.json()["error"] == "upgrade_required" and resp.json()["event_type"] == "ItemPicked"
    assert _last_seq(stocked, st1.replica_id) == 0 and _events_on_server(stocked, st1.replica_id) == []


def test_an_unknown_replica_gets_an_explicit_error_and_can_register(stocked: Server, clock: object) -> None:
    st = new_station(stocked, "ST09", register=False)
    resp = st.push([st.event("ScanNoted", {})])
    assert resp.status_code == 409
    assert resp.json() | {"message": ""} == {
        "error": "unknown_replica",
        "replica_id": st.replica_id,
        "message": "",
    }
    reg = st.register()
    assert reg.status_code == 200 and reg.json()["expected_next"] == 1
    assert st.push([make_event(1, "ScanNoted", {})]).status_code == 200


def test_re_registering_a_known_replica_returns_where_the_server_is(stocked: Server, st1: Station) -> None:
    st1.push([st1.event("ScanNoted", {}), st1.event("ScanNoted", {})])
    assert st1.register().json()["expected_next"] == 3


def test_another_stations_credential_is_refused_and_nothing_advances(
    stocked: Server, st1: Station, st2: Station
) -> None:
    forged = Station(stocked, "ST01", st2.token, replica_id=st1.replica_id)
    resp = forged.push([make_event(1, "ScanNoted", {})])
    assert resp.status_code == 403
    own_body_other_replica = Station(stocked, "ST02", st2.token, replica_id=st1.replica_id)
    assert own_body_other_replica.push([make_event(1, "ScanNoted", {})]).status_code == 403
    no_token = stocked.client.post("/api/v1/sync/push", json={})
    assert no_token.status_code == 401
    assert _last_seq(stocked, st1.replica_id) == 0


def test_a_business_rejection_is_recorded_and_does_not_wedge_the_queue(stocked: Server, st1: Station) -> None:
    bad = st1.event("ItemPicked", {"units": 1}, ("999999", 1))
    unknown = st1.event("NoSuchEvent", {})
    malformed = st1.event("CountTaskRequested", {"sku": "MUG-RED"})
    fine = st1.event("ScanNoted", {})
    resp = st1.push([bad, unknown, malformed, fine])
    assert resp.status_code == 200
    outcomes = [(r["outcome"], (r["reason"] or "").split(":")[0]) for r in resp.json()["results"]]
    assert outcomes == [
        ("rejected_recorded", "unknown_line"),
        ("rejected_recorded", "unknown_event_type"),
        ("rejected_recorded", "malformed"),
        ("accepted", ""),
    ]
    assert resp.json()["acked_through"] == 4
    pulled = st1.pull().json()
    assert pulled["reset"] is True
    kinds = [c["kind"] for c in st1.pull().json()["changes"]]
    assert "event.outcome" not in kinds  # outcomes written before the reset cursor are in the past


def test_rejected_outcomes_reach_the_station_through_pull(stocked: Server, st1: Station) -> None:
    st1.pull()
    st1.push([st1.event("ItemPicked", {"units": 1}, ("424242", 7))])
    changes = st1.pull().json()["changes"]
    outcomes = [c for c in changes if c["kind"] == "event.outcome"]
    assert [(c["seq"], c["outcome"]) for c in outcomes] == [(1, "rejected_recorded")]


def test_a_damaged_event_digest_is_refused_before_anything_is_recorded(stocked: Server, st1: Station) -> None:
    ev = st1.event("ScanNoted", {"code": "ok"})
    ev["payload"] = {"code": "tampered"}
    resp = st1.push([ev])
    assert resp.status_code == 422 and resp.json()["error"] == "digest_mismatch"
    assert _last_seq(stocked, st1.replica_id) == 0


def test_sync_events_hold_exactly_one_row_per_replica_seq(stocked: Server, st1: Station) -> None:
    batch = [st1.event("ScanNoted", {"n": n}) for n in range(50)]
    for _ in range(3):
        assert st1.push(batch).status_code == 200
    with stocked.db.session_scope() as s:
        assert s.scalar(select(func.count()).select_from(SyncEvent)) == 50


def test_a_station_body_without_a_content_type_header_is_read_as_json(stocked: Server, clock: object) -> None:
    st = new_station(stocked, "ST07", register=False)
    body = f'{{"station_id": "ST07", "replica_id": "{st.replica_id}", "app_version": "t"}}'
    resp = stocked.client.post("/api/v1/sync/register", content=body, headers=st.headers)
    assert resp.status_code == 200 and resp.json()["expected_next"] == 1


def test_an_event_past_the_server_key_columns_is_a_malformed_push_not_a_server_error(st1: Station) -> None:
    too_long = st1.event("ScanNoted", {"code": "ok"})
    too_long["event_id"] = "e" * 65
    huge_seq = st1.event("ScanNoted", {"code": "ok"}) | {"seq": 2**63}
    for bad in (too_long, huge_seq):
        resp = st1.push([bad])
        assert resp.status_code == 422 and resp.json()["error"] == "validation_failed", resp.text
    assert _last_seq(st1.server, st1.replica_id) == 0


def test_an_event_id_received_before_under_another_replica_or_in_the_same_batch_is_recorded_once(
    st1: Station,
) -> None:
    first = st1.event("ScanNoted", {"code": "ok"})
    assert st1.push([first]).status_code == 200
    other = new_station(st1.server, "ST01")  # the same station under a new replica (a re-keyed database)
    again = other.event("ScanNoted", {"code": "ok"})
    again |= {k: first[k] for k in ("event_id", "payload", "created_wall", "sha256")}
    after = other.event("ScanNoted", {"code": "after"})
    twin = other.event("ScanNoted", {"code": "twin"})
    twice = other.event("ScanNoted", {"code": "twin"})
    twice |= {k: twin[k] for k in ("event_id", "payload", "created_wall", "sha256")}
    outcomes = []
    for batch in ([again, after], [twin, twice]):  # ids not looked up first / a batch with one id twice
        resp = other.push(batch)
        assert resp.status_code == 200, resp.text
        outcomes += [(r["outcome"], (r["reason"] or "").split(":")[0]) for r in resp.json()["results"]]
    dup, ok = ("rejected_recorded", "duplicate_event"), ("accepted", "")
    assert outcomes == [dup, ok, ok, dup]
    assert _last_seq(st1.server, other.replica_id) == 4


def test_a_pushed_event_is_stored_as_sent_with_its_payload_as_json(st1: Station) -> None:
    ev = st1.event("ScanNoted", {"code": "ok", "note": 'Größe ½ \t "quoted"', "n": 3, "lot": None})
    assert st1.push([ev]).status_code == 200
    with st1.server.db.session_scope() as s:
        row = s.execute(select(SyncEvent).where(SyncEvent.replica_id == st1.replica_id)).scalar_one()
        json_type = text("SELECT json_typeof(payload) FROM sync_events")
        kind = s.execute(json_type).scalar() if _is_pg(s) else "object"
    assert (row.seq, row.event_id, row.type, row.sha256) == (1, ev["event_id"], "ScanNoted", ev["sha256"])
    assert row.payload == ev["payload"] and kind == "object"
    assert row.created_wall == ev["created_wall"] and row.applied_at.tzinfo is not None


def _is_pg(session: object) -> bool:
    return session.get_bind().dialect.name == "postgresql"  # type: ignore[attr-defined]
