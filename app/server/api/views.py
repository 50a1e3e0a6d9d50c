"""Turning rows into API bodies (shared by routers that return the same resource)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.server.catalogue.models import Barcode, Location, Product
from app.server.catalogue.schemas import BarcodeIn, LocationOut, ProductOut
from app.server.orders.models import Order
from app.server.orders.schemas import AddressIn, CustomerIn, LineOut, OrderOut
from app.server.stock.models import StockItem
from app.server.stock.schemas import StockOut

if TYPE_CHECKING:
    from app.server.orders.intake import NewOrder


def order_out(order: Order | NewOrder) -> OrderOut:
    return OrderOut(
        id=order.id,
        reference=order.reference,
        channel=order.channel,
        external_id=order.external_id,
        status=order.status,
        hold_reason=order.hold_reason,
        customer=CustomerIn(name=order.customer_name, email=order.customer_email),
        ship_to=AddressIn(**order.ship_to),
        payment_status=order.payment_status,
        priority=order.priority,
        requested_service=order.requested_service,
        promised_ship_date=order.promised_ship_date,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=[
            LineOut(
                line_no=li.line_no,
                sku=li.sku,
                qty=li.qty,
                reserved=li.reserved,
                picked=li.picked,
                packed=li.packed,
            )
            for li in order.lines
        ],
    )


def product_out(p: Product, barcodes: list[Barcode]) -> ProductOut:
    return ProductOut(
        sku=p.sku,
        name=p.name,
        barcodes=[BarcodeIn(code=b.code, units=b.units) for b in barcodes],
        weight_g=p.weight_g,
        dims_mm=[p.length_mm, p.width_mm, p.height_mm],
        lot_tracked=p.lot_tracked,
        expiry_tracked=p.expiry_tracked,
    )


def location_out(loc: Location) -> LocationOut:
    return LocationOut(
        code=loc.code, zone=loc.zone, aisle=loc.aisle, bay=loc.bay, level=loc.level, sequence=loc.sequence
    )


def stock_out(item: StockItem, product: Product, location: Location) -> StockOut:
    return StockOut(
        sku=product.sku,
        name=product.name,
        location=location.code,
        sequence=location.sequence,
        lot=item.lot,
        expiry=item.expiry,
        on_hand=item.on_hand,
        reserved=item.reserved,
        available=item.on_hand - item.reserved,
    )
