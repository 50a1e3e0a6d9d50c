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
from typing import Any

from sqlalchemy import Select, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.allocation import LineNeed, Reservation, StockSlot, allocate
from app.server.catalogue.models import Location, Product
from app.server.orders.models import OrderLine
from app.server.stock.models import StockItem, StockReservation


@dataclass
class LockedStock:
    """Stock rows locked for this transaction: allocation slots and the current reserved count per row."""

    slots: list[StockSlot]
    reserved: dict[int, int]


def _lock_statement(only_available: bool) -> Select[Any]:
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
        .where(StockItem.product_id.in_(bindparam("product_ids", expanding=True)))
        .order_by(StockItem.id)
        .with_for_update(of=StockItem)
    )
    return stmt.where(StockItem.on_hand > StockItem.reserved) if only_available else stmt


_LOCK_AVAILABLE, _LOCK_ALL = _lock_statement(True), _lock_statement(False)


def lock_stock(session: Session, product_ids: Collection[int], *, only_available: bool = True) -> LockedStock:
    """Lock (PostgreSQL) and read the stock rows of `product_ids`, in ascending id order."""
    if not product_ids:
        return LockedStock([], {})
    stmt = _LOCK_AVAILABLE if only_available else _LOCK_ALL
    slots, reserved = [], {}
    for r in session.connection().execute(stmt, {"product_ids": sorted(set(product_ids))}):
        slots.append(StockSlot(r.id, r.sku, r.code, r.sequence, r.on_hand - r.reserved, r.lot, r.expiry))
        reserved[r.id] = r.reserved
    return LockedStock(slots, reserved)


@dataclass
class ReservationPlan:
    """Allocation against locked stock: what to reserve (keyed by line index) and what is short."""

    locked: LockedStock
    reservations: tuple[Reservation, ...]
    short: dict[int, int]

    def reserved_per_line(self) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for r in self.reservations:
            out[r.line_id] += r.qty
        return out


def plan_reservations(
    session: Session, needs: Sequence[LineNeed], product_ids: Collection[int], *, today: date | None = None
) -> ReservationPlan:
    """Lock the stock of `product_ids` and decide the reservations for `needs` (line_id = caller's index)."""
    return plan_locked(lock_stock(session, product_ids), needs, today=today)


def plan_locked(
    locked: LockedStock, needs: Sequence[LineNeed], *, today: date | None = None
) -> ReservationPlan:
    """Decide the reservations for `needs` from stock the caller has already locked."""
    outcome = allocate(needs, locked.slots, today=today or date.today())
    return ReservationPlan(locked, outcome.reservations, outcome.short)


def apply_plan(session: Session, plan: ReservationPlan, line_ids: Sequence[int]) -> None:
    """Write the planned reservations (line index i is line `line_ids[i]`) and raise stock `reserved`."""
    if not plan.reservations:
        return
    conn = session.connection()
    conn.execute(
        _INSERT_RESERVATIONS,
        [
            {"order_line_id": line_ids[r.line_id], "stock_item_id": r.slot_id, "qty": r.qty}
            for r in plan.reservations
        ],
    )
    added: dict[int, int] = defaultdict(int)
    for r in plan.reservations:
        added[r.slot_id] += r.qty
    conn.execute(
        _SET_RESERVED,
        [{"b_id": sid, "b_reserved": plan.locked.reserved[sid] + qty} for sid, qty in sorted(added.items())],
    )


_INSERT_RESERVATIONS = insert(StockReservation)
_SET_RESERVED = (
    update(StockItem)
    .where(StockItem.id == bindparam("b_id"))
    .values(reserved=bindparam("b_reserved"))
    .execution_options(synchronize_session=False)
)


def reserve_lines(
    session: Session, lines: Sequence[OrderLine], *, today: date | None = None
) -> dict[int, int]:
    """Reserve what stock allows for each line's open quantity; returns the shortfall per line index.

    Lines may be new (not yet flushed): `reserved` is set before they are written (this function flushes).
    """
    needs = [
        LineNeed(i, line.sku, line.qty - line.reserved - line.picked)
        for i, line in enumerate(lines)
        if line.qty - line.reserved - line.picked > 0
    ]
    if not needs:
        return {}
    with session.no_autoflush:  # new lines are inserted once, with their reserved counts set
        plan = plan_reservations(session, needs, {line.product_id for line in lines}, today=today)
        for i, qty in plan.reserved_per_line().items():
            lines[i].reserved += qty
    session.flush()
    apply_plan(session, plan, [line.id for line in lines])
    return plan.short


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
        session.connection().execute(
            _SET_RESERVED, [{"b_id": r.id, "b_reserved": r.reserved - freed[r.id]} for r in locked]
        )
        products = {r.product_id for r in locked}
    session.execute(delete(StockReservation).where(StockReservation.order_line_id.in_(line_ids)))
    for line in lines:
        line.reserved = 0
    return products
