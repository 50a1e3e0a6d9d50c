"""Stock receipts, adjustments and queries through the API."""

from __future__ import annotations

from tests.integration.server.conftest import Server, order_body


def test_receipt_adds_stock_and_is_queryable_by_sku_and_location(stocked: Server) -> None:
    r = stocked.post(
        "/stock/receipts", {"sku": "MUG-RED", "location": "A-01-01-1", "qty": 3, "note": "PO 77"}
    )
    assert r.status_code == 201
    assert (r.json()["delta"], r.json()["reason"], r.json()["on_hand"]) == (3, "receipt", 3)
    by_sku = stocked.get("/stock", sku="MUG-RED").json()
    assert [(s["location"], s["on_hand"]) for s in by_sku] == [
        ("A-01-01-1", 3),
        ("A-01-02-1", 5),
    ]  # walking order
    at_loc = stocked.get("/stock", location="A-01-01-1").json()
    assert sorted(s["sku"] for s in at_loc) == ["MUG-BLU", "MUG-RED"]


def test_stock_query_without_filter_says_what_to_send(stocked: Server) -> None:
    r = stocked.get("/stock")
    assert r.status_code == 400 and "?sku=" in r.json()["message"]


def test_lot_tracked_receipt_needs_lot_and_expiry(stocked: Server) -> None:
    r = stocked.post("/stock/receipts", {"sku": "MILK-1L", "location": "A-01-01-1", "qty": 3})
    assert r.status_code == 422
    assert "send the lot" in r.json()["message"] and "expiry" in r.json()["message"]


def test_expiring_goods_are_reserved_earliest_expiry_first(stocked: Server) -> None:
    stocked.post(
        "/stock/receipts",
        {"sku": "MILK-1L", "location": "A-01-01-1", "qty": 4, "lot": "L2", "expiry": "2031-03-01"},
    )
    stocked.post(
        "/stock/receipts",
        {"sku": "MILK-1L", "location": "B-01-01-1", "qty": 4, "lot": "L1", "expiry": "2031-01-01"},
    )
    stocked.post("/orders", order_body(lines=[("MILK-1L", 6)]))
    rows = {(s["lot"], s["location"]): s["reserved"] for s in stocked.get("/stock", sku="MILK-1L").json()}
    assert rows == {("L2", "A-01-01-1"): 2, ("L1", "B-01-01-1"): 4}


def test_adjustment_to_counted_quantity_is_recorded_as_a_move(stocked: Server) -> None:
    r = stocked.post(
        "/stock/adjustments", {"sku": "MUG-RED", "location": "A-01-02-1", "counted": 4, "note": "cycle count"}
    )
    assert r.status_code == 201
    assert (r.json()["delta"], r.json()["reason"], r.json()["on_hand"]) == (-1, "adjustment", 4)


def test_adjustment_below_zero_is_refused(stocked: Server) -> None:
    r = stocked.post("/stock/adjustments", {"sku": "MUG-RED", "location": "A-01-02-1", "delta": -6})
    assert r.status_code == 422
    assert "holds 5; it cannot lose 6" in r.json()["message"]


def test_adjustment_needs_delta_or_counted(stocked: Server) -> None:
    r = stocked.post("/stock/adjustments", {"sku": "MUG-RED", "location": "A-01-02-1"})
    assert r.status_code == 422 and "exactly one of delta" in r.json()["message"]


def test_stock_lost_under_a_reservation_backorders_the_order(stocked: Server) -> None:
    order = stocked.post("/orders", order_body(lines=[("MUG-RED", 4)])).json()
    stocked.post("/stock/adjustments", {"sku": "MUG-RED", "location": "A-01-02-1", "counted": 1})
    after = stocked.get(f"/orders/{order['id']}").json()
    assert after["status"] == "backordered"
    assert after["lines"][0]["reserved"] == 1
    assert stocked.get("/stock", sku="MUG-RED").json()[0]["reserved"] == 1


def test_receipt_for_unknown_location_names_it(stocked: Server) -> None:
    r = stocked.post("/stock/receipts", {"sku": "MUG-RED", "location": "Z-99-99-9", "qty": 1})
    assert r.status_code == 422 and "Location Z-99-99-9 is not known" in r.json()["message"]


def test_product_with_wrong_check_digit_is_refused_and_nothing_saved(server: Server) -> None:
    r = server.post(
        "/products",
        [
            {"sku": "A", "name": "A", "barcodes": ["4006381333931"]},
            {"sku": "B", "name": "B", "barcodes": ["4006381333932"]},
        ],
    )
    assert r.status_code == 422
    assert "item 1" in r.json()["message"] and "check digit is wrong" in r.json()["message"]
    assert server.get("/products").json() == []


def test_products_upsert_replaces_barcodes(server: Server) -> None:
    server.post("/products", [{"sku": "A", "name": "A", "barcodes": ["4006381333931"]}])
    r = server.post(
        "/products", [{"sku": "A", "name": "A v2", "barcodes": [{"code": "14006381333938", "units": 6}]}]
    )
    assert r.json() == {"created": 0, "updated": 1}
    product = server.get("/products/A").json()
    assert product["name"] == "A v2" and product["barcodes"] == [{"code": "14006381333938", "units": 6}]
