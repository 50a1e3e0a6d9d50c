"""Releasing accepted orders to the floor as work units (phase 2, transmission), and re-prioritising them.

Each reservation of an order line becomes one work line (qty from one stock slot), ordered by the slot's
walking sequence. Orders are grouped by app.domain.batching; releasing moves them accepted → released.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.domain.batching import BatchLimits, OrderToRelease, plan_batches
from app.domain.order_status import OrderStatus
from app.domain.orders import Priority
from app.domain.work import LineStatus, WorkUnitStatus
from app.server.catalogue.models import Location, Product
from app.server.errors import ApiError
from app.server.orders import history as events
from app.server.orders.models import Order, OrderLine
from app.server.orders.order_actions import load_order
from app.server.stock.models import StockItem, StockReservation
from app.server.work.models import WorkLine, WorkOrder, WorkUnit


@dataclass
class Released:
    """What a release made: work unit ids with their kind and orders."""

    units: list[tuple[int, str, list[int]]] = field(default_factory=list)

    @property
    def order_ids(self) -> list[int]:
        return [o for _, _, orders in self.units for o in orders]


@dataclass(frozen=True, slots=True)
class Slot:
    """A reservation as a pick: which stock slot, where it is on the walk, and how many."""

    order_line_id: int
    stock_item_id: int
    qty: int
    location: str
    sequence: int
    lot: str


def _slots(session: Session, line_ids: list[int]) -> dict[int, list[Slot]]:
    rows = session.execute(
        select(
            StockReservation.order_line_id,
            StockReservation.stock_item_id,
            StockReservation.qty,
            Location.code,
            Location.sequence,
            StockItem.lot,
        )
        .join(StockItem, StockItem.id == StockReservation.stock_item_id)
        .join(Location, Location.id == StockItem.location_id)
        .where(StockReservation.order_line_id.in_(line_ids))
        .order_by(StockReservation.id)
    ).all()
    out: dict[int, list[Slot]] = defaultdict(list)
    for r in rows:
        out[r[0]].append(Slot(*r))
    return out


def add_lines(
    session: Session, unit: WorkUnit, lines: list[OrderLine], slots: dict[int, list[Slot]]
) -> list[WorkLine]:
    """Add one work line per reservation of `lines` to `unit`; returns them."""
    added = []
    for line in lines:
        for slot in slots.get(line.id, []):
            added.append(
                WorkLine(
                    work_id=unit.id,
                    order_id=line.order_id,
                    order_line_id=line.id,
                    stock_item_id=slot.stock_item_id,
                    product_id=line.product_id,
                    sku=line.sku,
                    location=slot.location,
                    lot=slot.lot,
                    qty=slot.qty,
                    picked=0,
                    sequence=slot.sequence,
                    status=LineStatus.OPEN.value,
                    revoked_reason="",
                )
            )
    session.add_all(added)
    return added


def release(
    session: Session,
    limits: BatchLimits,
    *,
    actor: str = "",
    limit: int = 500,
    order_ids: list[int] | None = None,
) -> Released:
    """Release up to `limit` accepted orders (highest priority, oldest first) as work units."""
    stmt = (
        select(Order)
        .where(Order.status == OrderStatus.ACCEPTED.value)
        .order_by(Order.priority_rank.desc(), Order.id)
        .limit(limit)
        .options(selectinload(Order.lines))
        .with_for_update(skip_locked=True, of=Order)
    )
    if order_ids:
        stmt = stmt.where(Order.id.in_(order_ids))
    orders = {o.id: o for o in session.scalars(stmt)}
    if not orders:
        return Released()
    all_lines = [ln for o in orders.values() for ln in o.lines]
    weights = dict(
        session.execute(
            select(Product.id, Product.weight_g).where(Product.id.in_({ln.product_id for ln in all_lines}))
        )
        .tuples()
        .all()
    )
    slots = _slots(session, [ln.id for ln in all_lines])
    candidates = []
    for order in orders.values():
        covered = all(sum(s.qty for s in slots.get(ln.id, [])) >= ln.qty - ln.picked for ln in order.lines)
        if covered:
            weight = sum(weights.get(ln.product_id, 0) * ln.qty for ln in order.lines)
            candidates.append(OrderToRelease(order.id, order.priority_rank, len(order.lines), weight))
    out = Released()
    for batch in plan_batches(candidates, limits):
        unit = WorkUnit(
            kind=batch.kind, priority_rank=batch.priority_rank, status=WorkUnitStatus.OPEN.value, operator=""
        )
        session.add(unit)
        session.flush()
        for order_id in batch.order_ids:
            order = orders[order_id]
            session.add(WorkOrder(work_id=unit.id, order_id=order_id, closed=False))
            add_lines(session, unit, list(order.lines), slots)
            events.move(
                session, order, OrderStatus.RELEASED, f"Released to the floor in work {unit.id}", actor=actor
            )
        out.units.append((unit.id, batch.kind, list(batch.order_ids)))
    session.flush()
    return out


def set_priority(session: Session, order_id: int, priority: Priority, *, actor: str = "") -> Order:
    """Change an order's priority; its open work units move with it in the claim queue."""
    order = load_order(session, order_id)
    if order.status in (OrderStatus.CANCELLED.value, OrderStatus.CLOSED.value):
        raise ApiError(409, "conflict", f"Order {order.reference} is {order.status}; its priority is final.")
    old = order.priority
    order.priority, order.priority_rank = priority.value, priority.rank
    events.record(session, order, "priority.changed", f"Priority {old} → {priority.value}", actor=actor)
    units = select(WorkLine.work_id).where(WorkLine.order_id == order_id).scalar_subquery()
    session.execute(
        update(WorkUnit)
        .where(
            WorkUnit.id.in_(units),
            WorkUnit.status.in_((WorkUnitStatus.OPEN.value, WorkUnitStatus.ACTIVE.value)),
        )
        .values(priority_rank=priority.rank)
        .execution_options(synchronize_session=False)
    )
    return order


def open_units(session: Session) -> int:
    """How many work units wait for a picker (for the supervisor's queue depth)."""
    return int(
        session.scalar(
            select(func.count()).select_from(WorkUnit).where(WorkUnit.status == WorkUnitStatus.OPEN.value)
        )
        or 0
    )
