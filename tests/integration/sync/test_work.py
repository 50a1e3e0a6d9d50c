"""Release, business effects of pushed events (picks, undo, shorts, packing), and the supervisor's views."""

from __future__ import annotations

from sqlalchemy import select

from app.server.stock.models import StockMove, StockReservation
from app.server.work.models import CountTask
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Clock, Station, order, pick_all, release_orders, stock_of


def _line_event(st: Station, type_: str, line: dict, **payload: object) -> dict:
    base = {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"], **payload}
    return st.event(type_, base, (line["line_id"], line["token"]))


def test_release_batches_small_orders_and_orders_lines_by_walking_sequence(
    stocked: Server, st1: Station
) -> None:
    ids = release_orders(
        stocked,
        order_body("a", lines=[("MUG-RED", 1), ("MUG-BLU", 1)]),
        order_body("b", lines=[("MUG-RED", 1)]),
    )
    assert [order(stocked, i)["status"] for i in ids] == ["released", "released"]
    work = st1.claim()
    assert work is not None and work["kind"] == "cluster" and work["orders"] == [str(i) for i in ids]
    assert [(ln["location"], ln["sequence"]) for ln in work["lines"]] == [
        ("A-01-01-1", 10),
        ("A-01-02-1", 20),
        ("A-01-02-1", 20),
    ]


def test_a_reprioritised_order_is_claimed_first(stocked: Server, st1: Station) -> None:
    release_orders(stocked, order_body("a", lines=[("MUG-RED", 4)]))
    (second,) = release_orders(stocked, order_body("b", lines=[("MUG-BLU", 1)]))
    resp = stocked.post(f"/orders/{second}/priority", {"priority": "urgent"}, role="supervisor")
    assert resp.status_code == 200 and resp.json()["priority"] == "urgent"
    work = st1.claim()
    assert work is not None and work["orders"] == [str(second)]


def test_undo_of_a_pick_puts_the_stock_back(stocked: Server, st1: Station, released: list[int]) -> None:
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    resp = st1.push(
        [
            _line_event(st1, "ItemPicked", line, units=1),
            _line_event(st1, "ScanUndone", line, step="units", units=1, picked=0),
        ]
    )
    assert [r["outcome"] for r in resp.json()["results"]] == ["accepted", "accepted"]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [0]


def test_undo_after_the_line_was_fully_picked_reserves_the_units_again(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    picked_all = [
        _line_event(st1, "ItemPicked", line, units=2),
        _line_event(st1, "ScanUndone", line, step="units", units=1, picked=1),
    ]
    assert [r["outcome"] for r in st1.push(picked_all).json()["results"]] == ["accepted", "accepted"]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (4, 1)}
    assert [(li["picked"], li["reserved"]) for li in order(stocked, released[0])["lines"]] == [(1, 1)]
    st1.push([_line_event(st1, "ItemPicked", line, units=1)])  # the reservation is used up and deleted
    resp = st1.push([_line_event(st1, "ScanUndone", line, step="units", units=2, picked=0)])
    assert resp.json()["results"][0]["outcome"] == "accepted"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}
    assert [(li["picked"], li["reserved"]) for li in order(stocked, released[0])["lines"]] == [(0, 2)]
    with stocked.db.session_scope() as s:
        assert [r.qty for r in s.scalars(select(StockReservation))] == [2]
    resp = st1.push([_line_event(st1, "ItemPicked", line, units=2)])
    assert resp.json()["results"][0]["outcome"] == "accepted"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0)}


def test_a_run_of_picks_in_one_push_is_one_ledger_move_and_an_undo_ends_the_run(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    events = [
        _line_event(st1, "ItemPicked", line, units=1),
        _line_event(st1, "ItemPicked", line, units=1),
        _line_event(st1, "ScanUndone", line, step="units", units=1, picked=1),
        _line_event(st1, "ItemPicked", line, units=1),
    ]
    assert {r["outcome"] for r in st1.push(events).json()["results"]} == {"accepted"}
    with stocked.db.session_scope() as s:
        moves = s.execute(select(StockMove.delta, StockMove.note).order_by(StockMove.id)).all()
    picks = [(d, n) for d, n in moves if n.startswith(("line", "undo"))]
    assert [d for d, _ in picks] == [-2, 1, -1]  # the ledger keeps the order: run of 2, undo, new run
    assert (
        picks[0][1]
        == f"line {line['line_id']}, 2 picks, events {events[0]['event_id']} to {events[1]['event_id']}"
    )
    assert picks[2][1] == f"line {line['line_id']}, event {events[3]['event_id']}"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0)}
    assert sum(d for d, _ in picks) == -2


def test_an_over_pick_is_recorded_as_rejected_and_moves_nothing(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    resp = st1.push([_line_event(st1, "ItemPicked", work["lines"][0], units=3)])
    assert resp.json()["results"][0]["outcome"] == "rejected_recorded"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}


def test_a_short_creates_a_count_task_and_reallocates_the_rest_elsewhere(
    stocked: Server, st1: Station, st2: Station, released: list[int]
) -> None:
    assert (
        stocked.post("/stock/receipts", {"sku": "MUG-RED", "location": "B-01-01-1", "qty": 3}).status_code
        == 201
    )
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    resp = st1.push(
        [
            _line_event(st1, "LineShorted", line, location=line["location"], reason="not_found", missing=2),
            _line_event(st1, "CountTaskRequested", line, location=line["location"], reason="not_found"),
            st1.event(
                "ToteClosed", {"work_id": work["work_id"], "order_id": line["order_id"], "tote": "T-0001"}
            ),
        ]
    )
    assert {r["outcome"] for r in resp.json()["results"]} == {"accepted"}
    with stocked.db.session_scope() as s:
        tasks = [(t.location, t.sku, t.reason) for t in s.scalars(select(CountTask))]
    assert tasks == [("A-01-02-1", "MUG-RED", "not_found")]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0), "B-01-01-1": (3, 2)}
    assert order(stocked, released[0])["status"] == "picking"  # the re-allocated line is still open
    again = st2.claim()
    assert again is not None and [(ln["location"], ln["qty"]) for ln in again["lines"]] == [("B-01-01-1", 2)]
    assert st2.push(pick_all(st2, again, tote="T-0002")).status_code == 200
    assert order(stocked, released[0])["status"] == "picked"
    shorts = stocked.get("/exceptions", role="supervisor", kind="short").json()["items"]
    assert len(shorts) == 1 and "re-allocated" in shorts[0]["message"]


def test_a_short_with_no_stock_elsewhere_waits_as_a_backorder_for_the_supervisor(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    st1.push(
        [
            _line_event(st1, "ItemPicked", line, units=1),
            _line_event(st1, "LineShorted", line, location=line["location"], reason="damaged", missing=1),
        ]
    )
    items = stocked.get("/exceptions", role="supervisor", kind="short_unfilled").json()["items"]
    assert len(items) == 1 and items[0]["data"]["backordered"] == 1
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0)}
    assert st1.claim() is None


def test_packing_a_picked_order_by_its_tote_ends_with_the_order_packed(
    stocked: Server, st1: Station, st2: Station, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    st1.push(pick_all(st1, work, tote="T-0042"))
    body = {"station_id": "ST02", "replica_id": st2.replica_id, "operator": "OP-2001", "label": "T-0042"}
    grant = st2.post("/work/pack", body).json()["order"]
    assert grant["order_id"] == str(released[0]) and grant["tote"] == "T-0042"
    assert [(ln["sku"], ln["qty"], ln["weight_g"]) for ln in grant["lines"]] == [("MUG-RED", 2, 350)]
    oid = grant["order_id"]
    resp = st2.push(
        [
            st2.event("PackStarted", {"order_id": oid, "tote": "T-0042"}),
            st2.event(
                "UnitVerified", {"order_id": oid, "sku": "MUG-RED", "units": 2, "verified": 2, "qty": 2}
            ),
            st2.event(
                "OrderSealed", {"order_id": oid, "box": "S", "weight_g": 790, "expected_weight_g": 800}
            ),
        ]
    )
    assert {r["outcome"] for r in resp.json()["results"]} == {"accepted"}
    got = order(stocked, released[0])
    assert got["status"] == "packed" and [li["packed"] for li in got["lines"]] == [2]
    again = st2.post("/work/pack", body).json()
    assert again["order"] is None and "already packed" in again["reason"]


def test_a_pack_claim_for_an_order_not_yet_picked_says_why(
    stocked: Server, st1: Station, released: list[int]
) -> None:
    body = {
        "station_id": "ST01",
        "replica_id": st1.replica_id,
        "operator": "OP-1",
        "label": f"ORD-{released[0]}",
    }
    got = st1.post("/work/pack", body).json()
    assert got["order"] is None and "not picked yet" in got["reason"]


def test_an_override_and_a_wrong_item_streak_reach_the_exception_queue(stocked: Server, st1: Station) -> None:
    refused = [st1.event("ScanRefused", {"code": "wrong_item", "message": "Wrong item"}) for _ in range(4)]
    override = st1.event(
        "SealOverridden",
        {
            "order_id": "1",
            "supervisor": "OP-9",
            "reason": "scale broken",
            "problems": ["weight 10 g is outside"],
        },
    )
    stocked.post("/orders", order_body("x"), role="integration")
    st1.push([*refused, override])
    kinds = sorted(e["kind"] for e in stocked.get("/exceptions", role="supervisor").json()["items"])
    assert kinds == ["override", "weight_mismatch", "wrong_item_streak"]
    first = stocked.get("/exceptions", role="supervisor").json()["items"][0]
    assert stocked.post(f"/exceptions/{first['id']}/ack", role="supervisor").json()["acknowledged"] is True
    assert stocked.get("/exceptions", role="supervisor").json()["open_total"] == 2


def test_the_station_view_shows_sync_health(stocked: Server, st1: Station, clock: Clock) -> None:
    st1.push([st1.event("OperatorSignedIn", {"badge": "OP-1001", "role": "picker"})], outbox_depth=7,
             oldest_unacked_age_s=12.5)  # fmt: skip
    resp = stocked.client.get(
        "/api/v1/sync/pull",
        params={"station_id": "ST01", "replica_id": st1.replica_id, "wall": clock.now + 3},
        headers=st1.headers,
    )
    assert resp.status_code == 200
    view = stocked.get("/stations", role="supervisor").json()
    (st,) = [s for s in view["stations"] if s["station_id"] == "ST01"]
    assert (
        st["online"] is True
        and st["last_seq"] == 1
        and st["replica_id"] == st1.replica_id
        and st["acked_events"] == 1
    )
    assert (st["outbox_depth"], st["oldest_unacked_age_s"]) == (6, 12.5)
    assert st["clock_offset_s"] == 3.0 and st["current_operator"] == "OP-1001" and st["cursor"]
    clock.now += 3600
    assert [s["online"] for s in stocked.get("/stations", role="supervisor").json()["stations"]] == [False]
    assert stocked.get("/stations", role="station").status_code == 403
