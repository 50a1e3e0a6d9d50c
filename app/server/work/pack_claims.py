"""Pack claims: a packer station takes the picked order behind a tote or order label, and holds it alone.

A bench packs one order at a time, so the hold is the station's `current_order`. Another bench asking for an
order held elsewhere is refused ("Order ORD-12 is being packed at station P2.") while the holder keeps in
touch: as with pick leases (S8, S9), a hold outlives `[server] lease_seconds + lease_grace_seconds` without
a push or pull from its station only if nobody else asks, and a supervisor may revoke it at any time
(`POST /work/pack/{order_id}/revoke`). A claim locks the order row first (FOR UPDATE on PostgreSQL; BEGIN
IMMEDIATE serialises writers on SQLite), so two benches scanning one tote at once never both get it. Pack
events pushed for an order another bench holds are recorded as conflicts (services.effects_pack).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.order_status import OrderStatus
from app.server.catalogue.models import Product
from app.server.catalogue.refdata import products_by_sku
from app.server.errors import ApiError
from app.server.orders import history as events
from app.server.orders.models import Order, OrderLine
from app.server.orders.order_actions import load_order
from app.server.stations.models import Station
from app.server.stations.registry import ensure_station, last_contact
from app.server.work.models import WorkOrder
from sync import schemas as w

_ORDER_LABEL = re.compile(r"^(?:ORD-)?(\d{1,18})$", re.IGNORECASE)


def _find_order_id(session: Session, label: str) -> tuple[int | None, str | None]:
    """The order behind a tote or order label, and its latest tote."""
    tote = session.execute(
        select(WorkOrder.order_id, WorkOrder.tote)
        .where(WorkOrder.tote == label)
        .order_by(WorkOrder.id.desc())
    ).first()
    if tote is not None:
        return tote[0], tote[1]
    m = _ORDER_LABEL.match(label.strip())
    if m is None:
        return None, None
    order_id = int(m.group(1))
    tote_of = session.scalars(
        select(WorkOrder.tote).where(WorkOrder.order_id == order_id).order_by(WorkOrder.id.desc())
    ).first()
    return order_id, tote_of


def holders(session: Session, order_id: int, *, lock: bool = False) -> list[Station]:
    """The stations holding the order for packing (one, unless a stale hold was never taken over)."""
    stmt = select(Station).where(Station.current_order == str(order_id)).order_by(Station.station_id)
    return list(session.scalars(stmt.with_for_update() if lock else stmt))


def other_holders(session: Session, order_ids: Collection[int], station_id: str) -> dict[int, str]:
    """Per order of `order_ids` held for packing by a station other than `station_id`, the first such
    station (by id), in one query."""
    if not order_ids:
        return {}
    stmt = (
        select(Station.current_order, Station.station_id)
        .where(Station.current_order.in_([str(i) for i in order_ids]), Station.station_id != station_id)
        .order_by(Station.station_id)
    )
    found: dict[int, str] = {}
    for order_id, holder in session.execute(stmt):
        found.setdefault(int(order_id), holder)
    return found


def _alive(station: Station, now: float, hold_s: float) -> bool:
    seen = last_contact(station)
    return seen is None or seen.timestamp() + hold_s >= now


def pack_claim(
    session: Session, station_id: str, label: str, now: float, hold_s: float
) -> tuple[w.PackGrant | None, str | None]:
    """The picked order behind a tote or order label, held for this bench; else (None, reason)."""
    order_id, tote = _find_order_id(session, label)
    order = session.scalars(select(Order).where(Order.id == order_id).with_for_update()).first()
    if order is None:
        return None, f"No order or tote {label} is known on the server; check the label."
    status = order.status
    if status in (OrderStatus.PACKED.value, OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value):
        return None, f"Order {order.reference} is already {status}."
    if status not in (OrderStatus.PICKED.value, OrderStatus.PACKING.value):
        return None, f"Order {order.reference} is {status}, not picked yet; it cannot be packed."
    others = [st for st in holders(session, order.id) if st.station_id != station_id]
    busy = [st.station_id for st in others if _alive(st, now, hold_s)]
    if busy:
        return None, (
            f"Order {order.reference} is being packed at station {busy[0]}; "
            "take another tote, or ask a supervisor to revoke that station's hold."
        )
    for stale in others:  # silent longer than a lease: the hold moves to this bench
        stale.current_order = ""
    rows = session.execute(
        select(OrderLine, Product)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id, OrderLine.picked > 0)
        .order_by(OrderLine.line_no)
    ).all()
    lines = [
        w.PackLineWire(
            sku=ln.sku,
            product_name=p.name,
            qty=ln.picked,
            weight_g=p.weight_g,
            dims_mm=(p.length_mm, p.width_mm, p.height_mm),
        )
        for ln, p in rows
    ]
    station = session.get(Station, station_id) or ensure_station(session, station_id)
    station.current_order = str(order.id)
    grant = w.PackGrant(
        order_id=str(order.id),
        tote=tote,
        lines=lines,
        products=products_by_sku(session, [ln.sku for ln, _ in rows]),
    )
    return grant, None


def revoke_pack(session: Session, order_id: int, reason: str, *, actor: str) -> list[str]:
    """A supervisor takes the order away from the bench(es) holding it; 409 when nobody holds it."""
    order = load_order(session, order_id)
    held_by = holders(session, order.id, lock=True)
    if not held_by:
        raise ApiError(409, "not_held", f"Order {order.reference} is not being packed at any station.")
    for station in held_by:
        station.current_order = ""
    names = ", ".join(st.station_id for st in held_by)
    events.record(
        session, order, "pack.revoked", f"Packing at station {names} revoked: {reason}", actor=actor
    )
    return [st.station_id for st in held_by]
