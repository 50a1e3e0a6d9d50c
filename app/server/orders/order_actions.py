"""What happens to an order after intake: acceptance, backorder fill, hold, release, payment (cancel:
services.cancellation)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.order_status import OrderStatus
from app.domain.orders import PaymentStatus, payment_hold_reason
from app.server.errors import not_found
from app.server.orders import history as events
from app.server.orders.models import Order, OrderLine
from app.server.stock.reservations import reserve_lines

#: how many backordered orders one stock arrival tries to complete
BACKFILL_BATCH = 500


def load_order(session: Session, order_id: int, *, lock: bool = True) -> Order:
    """The order with its lines (locked for update), or a 404 ApiError."""
    stmt = select(Order).where(Order.id == order_id).options(selectinload(Order.lines))
    order = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if order is None:
        raise not_found("Order", order_id, "List orders with GET /api/v1/orders.")
    return order


def accept_or_backorder(
    session: Session, order: Order, *, actor: str = "", today: date | None = None, received: bool = False
) -> OrderStatus:
    """Reserve stock for every open line: accepted when all is covered, backordered otherwise."""
    short = reserve_lines(session, order.lines, today=today)  # flushes: the order has an id after this
    if received:
        events.record(
            session,
            order,
            "received",
            f"Received from {order.channel}",
            actor=actor,
            to_status=OrderStatus.RECEIVED.value,
        )
    order.hold_reason = ""
    if short:
        missing = {order.lines[i].sku: n for i, n in short.items()}
        text = ", ".join(f"{sku} short by {n}" for sku, n in missing.items())
        events.move(
            session, order, OrderStatus.BACKORDERED, f"Backordered: {text}", actor=actor, short=missing
        )
        return OrderStatus.BACKORDERED
    events.move(session, order, OrderStatus.ACCEPTED, "Accepted: every line reserved", actor=actor)
    return OrderStatus.ACCEPTED


def backfill_backorders(
    session: Session, product_ids: Collection[int], *, actor: str = "", today: date | None = None
) -> tuple[list[int], list[int]]:
    """Give new stock of `product_ids` to backordered orders (highest priority, then oldest first).

    Returns (orders now accepted, orders still backordered that got more stock).
    """
    if not product_ids:
        return [], []
    waiting = (
        select(OrderLine.order_id)
        .where(
            OrderLine.product_id.in_(sorted(product_ids)),
            OrderLine.qty > OrderLine.reserved + OrderLine.picked,
        )
        .scalar_subquery()
    )
    orders = session.scalars(
        select(Order)
        .where(Order.status == OrderStatus.BACKORDERED.value, Order.id.in_(waiting))
        .order_by(Order.priority_rank.desc(), Order.id)
        .limit(BACKFILL_BATCH)
        .options(selectinload(Order.lines))
        .with_for_update(of=Order)
    ).all()
    accepted, topped_up = [], []
    for order in orders:
        before = sum(line.reserved for line in order.lines)
        if accept_or_backorder(session, order, actor=actor, today=today) is OrderStatus.ACCEPTED:
            accepted.append(order.id)
        elif sum(line.reserved for line in order.lines) > before:
            topped_up.append(order.id)
    return accepted, topped_up


def hold(session: Session, order: Order, reason: str, *, actor: str = "") -> Order:
    """Put the order on hold (reservations are kept); holding a held order changes nothing."""
    if order.status == OrderStatus.ON_HOLD.value:
        return order
    events.move(session, order, OrderStatus.ON_HOLD, reason or f"Held by {actor}", actor=actor)
    order.hold_reason = reason or f"held by {actor}"
    return order


def release(session: Session, order: Order, *, actor: str = "", today: date | None = None) -> Order:
    """Lift a hold (the order is accepted or backordered again) or release an accepted order to the floor."""
    status = OrderStatus(order.status)
    if status is OrderStatus.ON_HOLD:
        events.record(session, order, "hold.lifted", f"Hold lifted (was: {order.hold_reason})", actor=actor)
        accept_or_backorder(session, order, actor=actor, today=today)
    elif status is not OrderStatus.RELEASED:
        events.move(session, order, OrderStatus.RELEASED, "Released to the floor", actor=actor)
    return order


def update_payment(
    session: Session, order: Order, payment: PaymentStatus, *, actor: str = "", today: date | None = None
) -> Order:
    """Record a new payment status: clearing a payment hold resumes the order; losing payment holds it."""
    old = order.payment_status
    if old == payment.value:
        return order
    order.payment_status = payment.value
    events.record(session, order, "payment.updated", f"Payment {old} → {payment.value}", actor=actor)
    reason = payment_hold_reason(payment)
    status = OrderStatus(order.status)
    if reason is None and status is OrderStatus.ON_HOLD and order.hold_reason.startswith("payment is "):
        release(session, order, actor=actor, today=today)
    elif reason and status in (
        OrderStatus.RECEIVED,
        OrderStatus.ACCEPTED,
        OrderStatus.BACKORDERED,
        OrderStatus.RELEASED,
    ):
        hold(session, order, reason, actor=actor)
    return order
