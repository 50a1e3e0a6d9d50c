"""The Shopify order webhook: HMAC checked over the raw body, shop JSON mapped to an Aisle order."""

from __future__ import annotations

import json
from typing import Any

from app.server.orders.shopify import sign
from tests.integration.server.conftest import WEBHOOK_SECRET, Server

URL = "/api/v1/webhooks/shopify/orders"


def shop_order(financial_status: str = "paid", **extra: Any) -> dict[str, Any]:
    return {
        "id": 820982911946154508,
        "name": "#1001",
        "email": "jon@example.com",
        "financial_status": financial_status,
        "customer": {"first_name": "Jon", "last_name": "Snow", "email": "jon@example.com"},
        "shipping_address": {
            "first_name": "Jon",
            "last_name": "Snow",
            "address1": "1 Wall St",
            "address2": "",
            "city": "Winterfell",
            "zip": "WF1",
            "country_code": "gb",
        },
        "shipping_lines": [{"code": "EXPRESS", "title": "Express"}],
        "line_items": [
            {"sku": "MUG-RED", "quantity": 1, "title": "Red Mug"},
            {"sku": "MUG-BLU", "quantity": 1, "title": "Blue Mug"},
            {"sku": "MUG-RED", "quantity": 1, "title": "Red Mug (gift wrap)"},
        ],
        **extra,
    }


def send(
    server: Server,
    payload: Any,
    *,
    secret: str = WEBHOOK_SECRET,
    signature: str | None = None,
    raw: bytes | None = None,
) -> Any:
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature is None:
        headers["X-Shopify-Hmac-Sha256"] = sign(body, secret)
    elif signature:
        headers["X-Shopify-Hmac-Sha256"] = signature
    return server.client.post(URL, content=body, headers=headers)


def test_signed_shop_order_becomes_an_aisle_order(stocked: Server) -> None:
    r = send(stocked, shop_order())
    assert r.status_code == 201
    order = r.json()
    assert (order["channel"], order["external_id"], order["status"]) == (
        "shopify",
        "820982911946154508",
        "accepted",
    )
    assert [(li["sku"], li["qty"]) for li in order["lines"]] == [("MUG-RED", 2), ("MUG-BLU", 1)]
    assert order["ship_to"]["name"] == "Jon Snow" and order["ship_to"]["country"] == "GB"
    assert order["customer"] == {"name": "Jon Snow", "email": "jon@example.com"}
    assert order["requested_service"] == "EXPRESS"


def test_redelivered_webhook_is_the_same_order(stocked: Server) -> None:
    first = send(stocked, shop_order()).json()
    again = send(stocked, shop_order())
    assert again.status_code == 200 and again.json()["id"] == first["id"]


def test_pending_payment_is_held_and_paid_update_releases_it(stocked: Server) -> None:
    held = send(stocked, shop_order("pending")).json()
    assert held["status"] == "on_hold" and "pending" in held["hold_reason"]
    paid = send(stocked, shop_order("paid")).json()
    assert paid["id"] == held["id"] and paid["status"] == "accepted"


def test_tampered_body_is_refused(stocked: Server) -> None:
    good = json.dumps(shop_order()).encode()
    tampered = good.replace(b'"quantity": 1', b'"quantity": 9', 1)
    r = send(stocked, None, raw=tampered, signature=sign(good, WEBHOOK_SECRET))
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert stocked.get("/orders").json()["total"] == 0


def test_wrong_secret_is_refused(stocked: Server) -> None:
    r = send(stocked, shop_order(), secret="someone-elses-secret")
    assert r.status_code == 401 and "check the webhook secret" in r.json()["message"]


def test_missing_signature_is_refused(stocked: Server) -> None:
    r = send(stocked, shop_order(), signature="")
    assert r.status_code == 401 and "X-Shopify-Hmac-Sha256 header is missing" in r.json()["message"]


def test_line_item_without_sku_is_refused_with_the_item_named(stocked: Server) -> None:
    payload = shop_order(line_items=[{"sku": "", "quantity": 1, "title": "Mystery box"}])
    r = send(stocked, payload)
    assert r.status_code == 422 and "line_items[0] (Mystery box) has no sku" in r.json()["message"]


def test_signed_garbage_is_a_400_not_a_crash(stocked: Server) -> None:
    r = send(stocked, None, raw=b"{not json")
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
