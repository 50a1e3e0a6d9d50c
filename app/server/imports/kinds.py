"""What each import kind looks like: record → API model, with the CSV conventions (one flat row per record).

products  CSV: sku,name,barcodes,weight_g,length_mm,width_mm,height_mm,lot_tracked,expiry_tracked
          barcodes separated by '|' ; a case barcode is CODE*UNITS (e.g. 14006381333938*12)
locations CSV: code,zone,aisle,bay,level,sequence
stock     CSV: sku,location,qty,lot,expiry
orders    CSV: one row per line: channel,external_id,sku,qty and, on the order's first row, customer_name,
          customer_email,ship_name,ship_line1,ship_line2,ship_city,ship_postal_code,ship_country,
          payment_status,priority,requested_service,promised_ship_date
JSON files hold the same objects as the API bodies (see README, Integration API).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.server.catalogue.schemas import LocationIn, ProductIn
from app.server.orders.schemas import OrderIn
from app.server.stock.schemas import ReceiptIn

KINDS = ("products", "locations", "stock", "orders")
MODELS: dict[str, type[BaseModel]] = {
    "products": ProductIn,
    "locations": LocationIn,
    "stock": ReceiptIn,
    "orders": OrderIn,
}


def _no_blanks(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v != ""}


def csv_product(row: dict[str, Any]) -> dict[str, Any]:
    row = _no_blanks(row)
    barcodes = []
    for part in str(row.pop("barcodes", "")).replace(";", "|").split("|"):
        code, _, units = part.strip().partition("*")
        if code:
            barcodes.append({"code": code, "units": units or 1})
    dims = [row.pop(k, 0) for k in ("length_mm", "width_mm", "height_mm")]
    return {**row, "barcodes": barcodes, "dims_mm": dims}


_ORDER_FIELDS = {
    "customer_name": ("customer", "name"),
    "customer_email": ("customer", "email"),
    "ship_name": ("ship_to", "name"),
    "ship_line1": ("ship_to", "line1"),
    "ship_line2": ("ship_to", "line2"),
    "ship_city": ("ship_to", "city"),
    "ship_postal_code": ("ship_to", "postal_code"),
    "ship_country": ("ship_to", "country"),
}


def csv_orders(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Group line rows into orders by (channel, external_id); an order's line number is its first row's."""
    orders: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for line, raw in rows:
        row = _no_blanks(raw)
        key = (str(row.get("channel", "")), str(row.get("external_id", "")))
        if key not in orders:
            head: dict[str, Any] = {"lines": [], "customer": {}, "ship_to": {}}
            for name, value in row.items():
                if name in _ORDER_FIELDS:
                    group, field = _ORDER_FIELDS[name]
                    head[group][field] = value
                elif name not in ("sku", "qty"):
                    head[name] = value
            orders[key] = (line, head)
        orders[key][1]["lines"].append({"sku": row.get("sku", ""), "qty": row.get("qty", "")})
    return list(orders.values())


def from_csv(kind: str, rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Turn flat CSV rows into API-shaped records."""
    if kind == "products":
        return [(n, csv_product(r)) for n, r in rows]
    if kind == "orders":
        return csv_orders(rows)
    return [(n, _no_blanks(r)) for n, r in rows]
