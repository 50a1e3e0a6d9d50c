"""The Shopify order webhook: HMAC verification and mapping a shop order to an Aisle order request."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from app.domain.orders import Address, Customer, OrderLineRequest, OrderRequest, PaymentStatus


class ShopifyPayloadError(ValueError):
    """The shop's JSON cannot be turned into an order; the message names the field."""


def sign(body: bytes, secret: str) -> str:
    """The X-Shopify-Hmac-Sha256 value for `body`: base64 of HMAC-SHA256 with the shared secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is the signature of exactly this body (compared in constant time)."""
    if not header or not secret:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header.strip().encode())


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _object(value: Any) -> dict[str, Any]:
    """A nested object of the shop's JSON; null (Shopify's "none") or anything else reads as an empty one."""
    return value if isinstance(value, dict) else {}


def _payment(value: Any) -> PaymentStatus:
    try:
        return PaymentStatus(_text(value).lower())
    except ValueError:
        return PaymentStatus.PENDING  # unknown payment state: hold rather than ship unpaid


def to_order_request(payload: Any, channel: str) -> OrderRequest:
    """Map a Shopify order (orders/create, orders/paid …) to an OrderRequest; lines are summed per SKU."""
    if not isinstance(payload, dict):
        raise ShopifyPayloadError("the body must be a JSON object (a Shopify order)")
    if payload.get("id") in (None, ""):
        raise ShopifyPayloadError("field id is missing: this does not look like a Shopify order")
    items = payload.get("line_items")
    if not isinstance(items, list) or not items:
        raise ShopifyPayloadError("field line_items is missing or empty")
    qty_by_sku: dict[str, int] = {}
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise ShopifyPayloadError(f"line_items[{n}] is not an object")
        sku = _text(item.get("sku"))
        if not sku:
            title = _text(item.get("title")) or "?"
            raise ShopifyPayloadError(
                f"line_items[{n}] ({title}) has no sku: give the variant a SKU in Shopify"
            )
        try:
            quantity = item.get("quantity")
            qty = int(0 if quantity is None else quantity)  # null as absent
        except (TypeError, ValueError):
            raise ShopifyPayloadError(f"line_items[{n}].quantity is not a number") from None
        qty_by_sku[sku] = qty_by_sku.get(sku, 0) + qty
    ship = _object(payload.get("shipping_address"))
    cust = _object(payload.get("customer"))
    ship_name = (
        _text(ship.get("name")) or f"{_text(ship.get('first_name'))} {_text(ship.get('last_name'))}".strip()
    )
    cust_name = f"{_text(cust.get('first_name'))} {_text(cust.get('last_name'))}".strip() or ship_name
    shipping_lines = payload.get("shipping_lines")
    first_line = _object(shipping_lines[0] if isinstance(shipping_lines, list) and shipping_lines else None)
    service = _text(first_line.get("code") or first_line.get("title"))
    return OrderRequest(
        channel=channel,
        external_id=_text(payload["id"]),
        lines=tuple(OrderLineRequest(sku, qty) for sku, qty in qty_by_sku.items()),
        customer=Customer(name=cust_name, email=_text(payload.get("email") or cust.get("email"))),
        ship_to=Address(
            name=ship_name,
            line1=_text(ship.get("address1")),
            line2=_text(ship.get("address2")),
            city=_text(ship.get("city")),
            postal_code=_text(ship.get("zip")),
            country=_text(ship.get("country_code")).upper()[:2],
        ),
        payment_status=_payment(payload.get("financial_status")),
        requested_service=service[:64],
    )
