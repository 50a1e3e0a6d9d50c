"""Cancelling an order at any point before it ships, without losing a unit on the books.

Reservations go back (backorders waiting for that stock may take it); open work lines of the order are
withdrawn and their leases revoked, so no station picks them any more; units already picked (or packed) are
booked back at once at the put-away location with reason `cancel` (app.domain.stock.PUTAWAY_LOCATION, never
allocated from), and a `putaway` exception tells the supervisor which tote or box holds them.

Lock order: the order's work units, their lines, the order, stock (as claims and pushes take them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.order_status import OrderStatus, transition
from app.domain.stock import PUTAWAY_LOCATION
from app.domain.work import LineStatus
from app.domain.work import WorkUnitStatus as U
from app.server.orders import history as events
from app.server.orders.backorders import restock
from app.server.orders.models import Order
from app.server.orders.order_actions import load_order
from app.server.stock.models import StockItem
from app.server.stock.moves import book_back
from app.server.stock.reservations import release_lines
from app.server.work.models import FloorException, WorkLine, WorkOrder, WorkUnit
from sync.ingest import leases


def cancel(
    session: Session,
    order_id: int,
    reason: str,
    *,
    actor: str = "",
    now: float,
    today: date | None = None,
) -> Order:
    """Cancel the order (409 once shipped); repeating a cancel changes nothing."""
    _lock_work(session, order_id)
    order = load_order(session, order_id)
    # again under the order's lock: a push re-allocating a short (holding that lock) may have committed a new
    # unit and line for this order in between; those are withdrawn too (a deadlock here: run_write retries)
    units, lines = _lock_work(session, order_id)
    if order.status == OrderStatus.CANCELLED.value:
        return order
    was = OrderStatus(order.status)
    transition(was, OrderStatus.CANCELLED, order_ref=f"Order {order.reference}")
    freed = release_lines(session, order.lines)
    _withdraw(session, order, units, lines, now)
    events.move(session, order, OrderStatus.CANCELLED, reason or f"Cancelled by {actor}", actor=actor)
    _book_back(session, order, [ln for ln in lines if ln.order_id == order.id], was, actor)
    session.flush()
    restock(session, freed, actor=actor, today=today)
    return order


def _lock_work(session: Session, order_id: int) -> tuple[list[WorkUnit], list[WorkLine]]:
    """The work units holding the order's lines, and every line of those units, locked."""
    unit_ids = select(WorkLine.work_id).where(WorkLine.order_id == order_id).scalar_subquery()
    units = list(
        session.scalars(
            select(WorkUnit).where(WorkUnit.id.in_(unit_ids)).order_by(WorkUnit.id).with_for_update()
        )
    )
    if not units:
        return [], []
    lines = session.scalars(
        select(WorkLine)
        .where(WorkLine.work_id.in_([u.id for u in units]))
        .order_by(WorkLine.id)
        .with_for_update()
    )
    return units, list(lines)


def _withdraw(
    session: Session, order: Order, units: list[WorkUnit], lines: list[WorkLine], now: float
) -> None:
    """Open lines of the order are cancelled (holders get lease.revoked); units with nothing open end."""
    still_open = [ln for ln in lines if ln.order_id == order.id and ln.status == leases.OPEN]
    leases.revoke(session, still_open, f"order {order.reference} was cancelled", now)
    for line in still_open:
        line.status = LineStatus.CANCELLED.value
    for unit in units:
        own = [ln for ln in lines if ln.work_id == unit.id]
        if unit.status in (U.OPEN, U.ACTIVE) and all(ln.status != leases.OPEN for ln in own):
            cancelled = all(ln.status == LineStatus.CANCELLED for ln in own)
            unit.status = (U.CANCELLED if cancelled else U.DONE).value


def _book_back(session: Session, order: Order, lines: list[WorkLine], was: OrderStatus, actor: str) -> None:
    """Picked units of the cancelled order go back on the books at the put-away location."""
    per_slot: dict[int, int] = defaultdict(int)
    per_sku: dict[str, int] = defaultdict(int)
    for ln in lines:
        if ln.picked > 0 and ln.stock_item_id is not None:
            per_slot[ln.stock_item_id] += ln.picked
            per_sku[ln.sku] += ln.picked
    if not per_slot:
        return
    for item_id in sorted(per_slot):
        source = session.get_one(StockItem, item_id)
        note = f"picked for order {order.reference}, which was cancelled"
        book_back(session, source, per_slot[item_id], order_id=order.id, note=note, actor=actor)
    totes = sorted(
        {t for t in session.scalars(select(WorkOrder.tote).where(WorkOrder.order_id == order.id)) if t}
    )
    held = "the sealed box" if was is OrderStatus.PACKED else "tote " + (", ".join(totes) or "(none)")
    units = ", ".join(f"{n} × {sku}" for sku, n in sorted(per_sku.items()))
    text = (
        f"Order {order.reference} was cancelled after picking: put {units} from {held} away. They are "
        f"booked at {PUTAWAY_LOCATION} until then: adjust them out of {PUTAWAY_LOCATION} and into the shelf."
    )
    events.record(session, order, "stock.booked_back", text, actor=actor, data=dict(per_sku))
    session.add(
        FloorException(
            kind="putaway",
            order_id=order.id,
            message=text[:1000],
            data={"units": dict(per_sku), "totes": totes, "location": PUTAWAY_LOCATION},
        )
    )
