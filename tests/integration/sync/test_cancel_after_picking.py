"""Cancelling an order whose units were already picked: they are booked back at the put-away location, so
stock stays exact, and nothing is allocated from there until someone puts them away."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.stock import PUTAWAY_LOCATION
from app.server.stock.models import StockMove
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Station, order, pick_all, release_orders, stock_of


def _on_hand(server: Server, sku: str) -> int:
    return sum(on_hand for on_hand, _ in stock_of(server, sku).values())


def test_cancelling_a_picked_order_books_its_units_back_and_keeps_stock_exact(
    stocked: Server, st1: Station
) -> None:
    (oid,) = release_orders(stocked, order_body("1001", lines=[("MUG-RED", 2)]))
    work = st1.claim()
    assert work is not None
    st1.push(pick_all(st1, work, tote="T-0042"))
    assert order(stocked, oid)["status"] == "picked" and _on_hand(stocked, "MUG-RED") == 3

    resp = stocked.post(f"/orders/{oid}/cancel", {"reason": "customer changed their mind"}, role="supervisor")
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (3, 0), PUTAWAY_LOCATION: (2, 0)}
    assert _on_hand(stocked, "MUG-RED") == 5
    with stocked.db.session_scope() as s:
        moves = [(m.reason, m.delta, m.order_id) for m in s.scalars(select(StockMove).order_by(StockMove.id))]
    assert moves[-1] == ("cancel", 2, oid)
    (task,) = stocked.get("/exceptions", role="supervisor", kind="putaway").json()["items"]
    assert "2 × MUG-RED from tote T-0042" in task["message"] and task["order_id"] == oid

    # the units in the tote are not on a shelf yet: a new order cannot be given them
    resp = stocked.post("/orders", order_body("1002", lines=[("MUG-RED", 4)]), role="integration")
    assert resp.json()["status"] == "backordered"


def test_cancelling_mid_pick_withdraws_the_open_line_and_books_back_what_was_picked(
    stocked: Server, st1: Station, st2: Station
) -> None:
    (oid,) = release_orders(stocked, order_body("1001", lines=[("MUG-RED", 2)]))
    work = st1.claim()
    assert work is not None
    (line,) = work["lines"]
    lease = (line["line_id"], line["token"])
    base: dict[str, Any] = {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"]}
    st1.pull()
    st1.push([st1.event("ItemPicked", {**base, "units": 1}, lease)])

    assert stocked.post(f"/orders/{oid}/cancel", role="supervisor").status_code == 200
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (4, 0), PUTAWAY_LOCATION: (1, 0)}
    changes = st1.pull().json()["changes"]
    assert "lease.revoked" in [c["kind"] for c in changes]
    late = st1.push([st1.event("ItemPicked", {**base, "units": 1}, lease)]).json()["results"][0]
    assert late["outcome"] == "accepted_conflict"
    assert _on_hand(stocked, "MUG-RED") == 5
    (unit,) = stocked.get("/work", role="supervisor").json()
    assert unit["status"] == "cancelled" and [ln["status"] for ln in unit["lines"]] == ["cancelled"]
    assert st2.claim() is None
