"""Reserving stock for order lines and giving it back, with the row locks that make overselling impossible.

On PostgreSQL the stock rows of the SKUs involved are locked with SELECT … FOR UPDATE in ascending id order
(one global order, so two transactions never wait on each other in a cycle). On SQLite the write transaction
began with BEGIN IMMEDIATE, so writers are already serialised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.allocation import LineNeed, StockSlot, allocate
from sync.server.models import Location, OrderLine, Product, StockItem, StockReservation


@dataclass
class LockedStock:
    """Stock rows locked for this transaction: allocation slots and the current reserved count per row."""

    slots: list[StockSlot]
    reserved: dict[int, int]


def lock_stock(session: Session, product_ids: Collection[int], *, only_available: bool = True) -> LockedStock:
    """Lock (PostgreSQL) and read the stock rows of `product_ids`, in ascending id order."""
    if not product_ids:
        return LockedStock([], {})
    stmt = (
        select(
            StockItem.id,
            StockItem.lot,
            StockItem.expiry,
            StockItem.on_hand,
            StockItem.reserved,
            Product.sku,
            Location.code,
            Location.sequence,
        )
        .join(Product, Product.id == StockItem.product_id)
        .join(Location, Location.id == StockItem.location_id)
        .where(StockItem.product_id.in_(sorted(set(product_ids))))
        .order_by(StockItem.id)
        .with_for_update(of=StockItem)
    )
    if only_available:
        stmt = stmt.where(StockItem.on_hand > StockItem.reserved)
    slots, reserved = [], {}
    for r in session.execute(stmt):
        slots.append(StockSlot(r.id, r.sku, r.code, r.sequence, r.on_hand - r.reserved, r.lot, r.expiry))
        reserved[r.id] = r.reserved
    return LockedStock(slots, reserved)


def reserve_lines(
    session: Session, lines: Sequence[OrderLine], *, today: date | None = None
) -> dict[int, int]:
    """Reserve what stock allows for each line's open quantity; returns the shortfall per line index.

    Lines may be new (not yet flushed): their `reserved` is set here, and the reservation rows are written
    once they have ids (this function flushes).
    """
    needs = [
        LineNeed(i, line.sku, line.qty - line.reserved - line.picked)
        for i, line in enumerate(lines)
        if line.qty - line.reserved - line.picked > 0
    ]
    if not needs:
        return {}
    with session.no_autoflush:  # new lines are inserted once, with their reserved counts set
        locked = lock_stock(session, {line.product_id for line in lines})
        outcome = allocate(needs, locked.slots, today=today or date.today())
        for r in outcome.reservations:
            lines[r.line_id].reserved += r.qty
    session.flush()
    if outcome.reservations:
        session.execute(
            insert(StockReservation),
            [
                {"order_line_id": lines[r.line_id].id, "stock_item_id": r.slot_id, "qty": r.qty}
                for r in outcome.reservations
            ],
        )
        added: dict[int, int] = defaultdict(int)
        for r in outcome.reservations:
            added[r.slot_id] += r.qty
        session.execute(
            update(StockItem),
            [{"id": sid, "reserved": locked.reserved[sid] + qty} for sid, qty in sorted(added.items())],
        )
    return outcome.short


def release_lines(session: Session, lines: Sequence[OrderLine]) -> set[int]:
    """Give back every reservation of `lines`; returns the product ids whose stock became available."""
    line_ids = [line.id for line in lines if line.reserved > 0]
    if not line_ids:
        return set()
    rows = session.execute(
        select(StockReservation.stock_item_id, StockReservation.qty).where(
            StockReservation.order_line_id.in_(line_ids)
        )
    ).all()
    freed: dict[int, int] = defaultdict(int)
    for stock_item_id, qty in rows:
        freed[stock_item_id] += qty
    products: set[int] = set()
    if freed:
        locked = session.execute(
            select(StockItem.id, StockItem.reserved, StockItem.product_id)
            .where(StockItem.id.in_(sorted(freed)))
            .order_by(StockItem.id)
            .with_for_update()
        ).all()
        session.execute(
            update(StockItem), [{"id": r.id, "reserved": r.reserved - freed[r.id]} for r in locked]
        )
        products = {r.product_id for r in locked}
    session.execute(delete(StockReservation).where(StockReservation.order_line_id.in_(line_ids)))
    for line in lines:
        line.reserved = 0
    return products
