"""Recording what happens to an order, and moving it through the state machine."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.domain.order_status import OrderStatus, transition
from app.server.orders.models import Order, OrderEvent


def record(
    session: Session,
    order: Order,
    type_: str,
    message: str = "",
    *,
    actor: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append an event to the order's history (the order must have been flushed, so it has an id)."""
    assert order.id is not None, "flush the order before recording its events"
    session.add(
        OrderEvent(
            order_id=order.id,
            type=type_,
            message=message,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            data=data or {},
        )
    )


def move(
    session: Session, order: Order, target: OrderStatus, message: str = "", *, actor: str = "", **data: Any
) -> None:
    """Move `order` to `target` and log it; IllegalTransition when the state machine forbids it."""
    current = OrderStatus(order.status)
    if current == target:
        return
    order.status = transition(current, target, order_ref=f"Order {order.reference}").value
    record(
        session,
        order,
        f"status.{target.value}",
        message,
        actor=actor,
        from_status=current.value,
        to_status=target.value,
        data=data,
    )
