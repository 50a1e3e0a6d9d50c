"""A short nobody can cover: the order waits as a backorder (ship complete), and stock arriving sends the
remainder back to the floor, so the order is picked in full and goes on to packing."""

from __future__ import annotations

from typing import Any

from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Station, order, pick_all, release_orders, stock_of


def _line_event(st: Station, type_: str, line: dict[str, Any], **payload: object) -> dict[str, Any]:
    base = {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"], **payload}
    return st.event(type_, base, (line["line_id"], line["token"]))


def _pick_and_short_red(st: Station, work: dict[str, Any], tote: str) -> list[dict[str, Any]]:
    """Pick the blue mug and 3 of 5 red mugs, report the other 2 red ones not found, close the tote."""
    blue, red = sorted(work["lines"], key=lambda ln: ln["sku"])
    oid = red["order_id"]
    return [
        st.event("ToteAssigned", {"work_id": work["work_id"], "order_id": oid, "tote": tote}),
        _line_event(st, "ItemPicked", blue, units=1),
        _line_event(st, "ItemPicked", red, units=3),
        _line_event(st, "LineShorted", red, location=red["location"], reason="not_found", missing=2),
        st.event("ToteClosed", {"work_id": work["work_id"], "order_id": oid, "tote": tote}),
    ]


def test_a_short_with_no_stock_backorders_the_order_and_a_receipt_sends_the_remainder_to_packing(
    stocked: Server, st1: Station, st2: Station
) -> None:
    (oid,) = release_orders(stocked, order_body("1001", lines=[("MUG-RED", 5), ("MUG-BLU", 1)]))
    work = st1.claim()
    assert work is not None
    resp = st1.push(_pick_and_short_red(st1, work, "T-0001"))
    assert {r["outcome"] for r in resp.json()["results"]} == {"accepted"}
    assert order(stocked, oid)["status"] == "backordered"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (0, 0)}
    assert st2.claim() is None

    receipt = stocked.post("/stock/receipts", {"sku": "MUG-RED", "location": "B-01-01-1", "qty": 4})
    assert receipt.status_code == 201, receipt.text
    assert order(stocked, oid)["status"] == "released"
    (short,) = stocked.get("/exceptions", role="supervisor", open=False, kind="short_unfilled").json()[
        "items"
    ]
    assert short["acknowledged"] is True and "back on the floor" in short["message"]

    again = st2.claim()
    assert again is not None and [(ln["sku"], ln["location"], ln["qty"]) for ln in again["lines"]] == [
        ("MUG-RED", "B-01-01-1", 2)
    ]
    assert {r["outcome"] for r in st2.push(pick_all(st2, again, tote="T-0002")).json()["results"]} == {
        "accepted"
    }
    assert order(stocked, oid)["status"] == "picked"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (0, 0), "B-01-01-1": (2, 0)}

    body = {"station_id": "ST02", "replica_id": st2.replica_id, "operator": "OP-2", "label": f"ORD-{oid}"}
    grant = st2.post("/work/pack", body).json()["order"]
    assert sorted((ln["sku"], ln["qty"]) for ln in grant["lines"]) == [("MUG-BLU", 1), ("MUG-RED", 5)]
    resp = st2.push([st2.event("PackStarted", {"order_id": grant["order_id"], "tote": "T-0002"})])
    assert resp.json()["results"][0]["outcome"] == "accepted"
    assert order(stocked, oid)["status"] == "packing"


def test_stock_that_arrived_between_the_short_and_the_tote_closing_is_picked_instead_of_backordering(
    stocked: Server, st1: Station, st2: Station
) -> None:
    (oid,) = release_orders(stocked, order_body("1001", lines=[("MUG-RED", 5), ("MUG-BLU", 1)]))
    work = st1.claim()
    assert work is not None
    *picks, closed = _pick_and_short_red(st1, work, "T-0001")
    st1.push(picks)
    assert (
        stocked.post("/stock/receipts", {"sku": "MUG-RED", "location": "B-01-01-1", "qty": 2}).status_code
        == 201
    )
    assert st1.push([closed]).json()["results"][0]["outcome"] == "accepted"
    assert order(stocked, oid)["status"] == "picking"
    again = st2.claim()
    assert again is not None and [(ln["location"], ln["qty"]) for ln in again["lines"]] == [("B-01-01-1", 2)]
