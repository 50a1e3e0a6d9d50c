"""Order intake and order actions through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.integration.server.conftest import Server, order_body


def stock_of(server: Server, sku: str) -> dict[str, tuple[int, int]]:
    return {r["location"]: (r["on_hand"], r["reserved"]) for r in server.get("/stock", sku=sku).json()}


def test_new_paid_order_is_accepted_with_every_line_reserved(stocked: Server) -> None:
    r = stocked.post("/orders", order_body(lines=[("MUG-RED", 2), ("MUG-BLU", 1)]))
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "accepted"
    assert [(li["sku"], li["qty"], li["reserved"], li["picked"], li["packed"]) for li in body["lines"]] == [
        ("MUG-RED", 2, 2, 0, 0),
        ("MUG-BLU", 1, 1, 0, 0),
    ]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}


def test_same_order_sent_twice_is_one_order(stocked: Server) -> None:
    first = stocked.post("/orders", order_body())
    again = stocked.post("/orders", order_body())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert stocked.get("/orders").json()["total"] == 1
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}  # reserved once, not twice


def test_same_external_id_with_different_content_is_refused_with_409(stocked: Server) -> None:
    first = stocked.post("/orders", order_body()).json()
    r = stocked.post("/orders", order_body(lines=[("MUG-RED", 3)]))
    assert r.status_code == 409
    assert r.json()["error"] == "conflict"
    assert "web/1001" in r.json()["message"] and first["reference"] in r.json()["message"]
    assert stocked.get(f"/orders/{first['id']}").json()["lines"][0]["qty"] == 2


def test_unpaid_order_is_held_with_the_reason_and_reserves_nothing(stocked: Server) -> None:
    r = stocked.post("/orders", order_body(payment_status="pending"))
    assert r.status_code == 201
    assert r.json()["status"] == "on_hold"
    assert "payment is pending" in r.json()["hold_reason"]
    assert r.json()["lines"][0]["reserved"] == 0


def test_payment_arriving_on_resend_lifts_the_payment_hold(stocked: Server) -> None:
    held = stocked.post("/orders", order_body(payment_status="pending")).json()
    r = stocked.post("/orders", order_body(payment_status="paid"))
    assert r.status_code == 200
    assert r.json()["id"] == held["id"]
    assert r.json()["status"] == "accepted"


def test_order_beyond_stock_is_backordered_and_accepted_when_stock_arrives(stocked: Server) -> None:
    r = stocked.post("/orders", order_body(lines=[("MUG-BLU", 5)]))
    assert r.json()["status"] == "backordered"
    assert r.json()["lines"][0]["reserved"] == 2
    receipt = stocked.post("/stock/receipts", {"sku": "MUG-BLU", "location": "B-01-01-1", "qty": 10})
    assert receipt.json()["orders_accepted"] == [r.json()["id"]]
    order = stocked.get(f"/orders/{r.json()['id']}").json()
    assert order["status"] == "accepted"
    assert order["lines"][0]["reserved"] == 5
    assert stock_of(stocked, "MUG-BLU") == {"A-01-01-1": (2, 2), "B-01-01-1": (10, 3)}


def test_stock_is_never_reserved_twice_across_orders(stocked: Server) -> None:
    statuses = [
        stocked.post("/orders", order_body(str(n), lines=[("MUG-RED", 2)])).json()["status"] for n in range(4)
    ]
    assert statuses == ["accepted", "accepted", "backordered", "backordered"]
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 5)}


def test_cancel_gives_reserved_stock_back_to_waiting_backorders(stocked: Server) -> None:
    first = stocked.post("/orders", order_body("1", lines=[("MUG-BLU", 2)])).json()
    waiting = stocked.post("/orders", order_body("2", lines=[("MUG-BLU", 1)])).json()
    assert waiting["status"] == "backordered"
    r = stocked.post(f"/orders/{first['id']}/cancel", {"reason": "customer changed their mind"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert r.json()["lines"][0]["reserved"] == 0
    assert stocked.get(f"/orders/{waiting['id']}").json()["status"] == "accepted"
    assert stock_of(stocked, "MUG-BLU") == {"A-01-01-1": (2, 1)}


def test_hold_and_release_go_through_the_state_machine(stocked: Server) -> None:
    order = stocked.post("/orders", order_body()).json()
    held = stocked.post(f"/orders/{order['id']}/hold", {"reason": "address check"}).json()
    assert (held["status"], held["hold_reason"]) == ("on_hold", "address check")
    assert held["lines"][0]["reserved"] == 2  # a hold keeps the reservation
    lifted = stocked.post(f"/orders/{order['id']}/release").json()
    assert lifted["status"] == "accepted"
    released = stocked.post(f"/orders/{order['id']}/release").json()
    assert released["status"] == "released"


def test_illegal_transition_is_409_with_a_message_naming_the_states(stocked: Server) -> None:
    order = stocked.post("/orders", order_body()).json()
    stocked.post(f"/orders/{order['id']}/cancel")
    r = stocked.post(f"/orders/{order['id']}/hold")
    assert r.status_code == 409
    assert r.json() == {
        "error": "illegal_transition",
        "message": f"Order {order['reference']} is cancelled; it is final and cannot be put on hold.",
    }
    backordered = stocked.post("/orders", order_body("2", lines=[("MUG-BLU", 9)])).json()
    r = stocked.post(f"/orders/{backordered['id']}/release")
    assert r.status_code == 409
    assert "From backordered it can go to: accepted, cancelled, on_hold" in r.json()["message"]


def test_order_history_lists_every_step(stocked: Server) -> None:
    order = stocked.post("/orders", order_body()).json()
    stocked.post(f"/orders/{order['id']}/hold", {"reason": "fraud check"})
    stocked.post(f"/orders/{order['id']}/cancel")
    events = stocked.get(f"/orders/{order['id']}/events").json()
    assert [(e["type"], e["to_status"]) for e in events] == [
        ("received", "received"),
        ("status.accepted", "accepted"),
        ("status.on_hold", "on_hold"),
        ("status.cancelled", "cancelled"),
    ]
    assert events[2]["message"] == "fraud check"
    assert events[2]["actor"] == "admin:test-admin"


def test_orders_list_filters_by_status_and_pages(stocked: Server) -> None:
    for n in range(5):
        stocked.post(
            "/orders", order_body(str(n), lines=[("MUG-RED", 1)], priority="high" if n == 3 else "normal")
        )
    stocked.post("/orders", order_body("held", payment_status="pending"))
    page = stocked.get("/orders", status="accepted", limit=2).json()
    assert page["total"] == 5 and page["next_offset"] == 2
    assert page["items"][0]["external_id"] == "3"  # highest priority first
    last = stocked.get("/orders", status="accepted", limit=2, offset=4).json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    held = stocked.get("/orders", status="on_hold").json()
    assert [o["external_id"] for o in held["items"]] == ["held"]
    by_sku = stocked.get("/orders", sku="MUG-RED", channel="web").json()
    assert by_sku["total"] == 6


def test_unknown_sku_is_refused_naming_the_line(stocked: Server) -> None:
    r = stocked.post("/orders", order_body(lines=[("MUG-RED", 1), ("NOPE-1", 1)]))
    assert r.status_code == 422
    assert r.json()["error"] == "unknown_sku"
    assert "line 2 (NOPE-1)" in r.json()["message"]
    assert stocked.get("/orders").json()["total"] == 0


def test_invalid_body_names_the_field(stocked: Server) -> None:
    r = stocked.post("/orders", order_body(lines=[("MUG-RED", 0)]))
    assert r.status_code == 422
    assert r.json()["error"] == "validation_failed"
    assert "field lines.0.qty" in r.json()["message"]


def test_unknown_order_is_a_json_404(stocked: Server) -> None:
    r = stocked.get("/orders/999")
    assert r.status_code == 404
    assert r.json()["error"] == "not_found" and "999" in r.json()["message"]
