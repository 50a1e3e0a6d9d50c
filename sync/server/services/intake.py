"""Order intake: idempotent on (channel, external_id), payment check, reservation at acceptance.

The same order sent again returns the existing order. A resend that differs only in `payment_status` is a
payment update (it can clear a payment hold). Any other difference is a conflict (409).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.order_status import OrderStatus
from app.domain.orders import OrderRequest, fingerprint, payment_hold_reason, validate_order
from sync.server.errors import ApiError
from sync.server.models import Order, OrderLine, Product
from sync.server.services import events
from sync.server.services.order_actions import accept_or_backorder, update_payment


@dataclass
class IntakeResult:
    """The order, and whether this request created it (201) or found it (200)."""

    order: Order
    created: bool


def content_fingerprint(request: OrderRequest) -> str:
    """The fingerprint that decides "same order": everything except the payment status."""
    return fingerprint(dataclasses.replace(request, payment_status="paid"))  # type: ignore[arg-type]


def find_order(session: Session, channel: str, external_id: str) -> Order | None:
    """The order a shop knows as (channel, external_id), with its lines, locked for update."""
    return session.scalars(
        select(Order)
        .where(Order.channel == channel, Order.external_id == external_id)
        .options(selectinload(Order.lines))
        .with_for_update()
    ).first()


def _products(session: Session, request: OrderRequest) -> dict[str, int]:
    skus = sorted({line.sku for line in request.lines})
    found = dict(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(skus))).tuples().all())
    missing = [f"line {n} ({line.sku})" for n, line in enumerate(request.lines, 1) if line.sku not in found]
    if missing:
        raise ApiError(
            422,
            "unknown_sku",
            f"Order {request.ref} names SKUs this warehouse does not know: {', '.join(missing)}. "
            "Send the products first (POST /api/v1/products) or correct the SKU.",
        )
    return found


def take_order(
    session: Session, request: OrderRequest, *, actor: str = "", today: date | None = None
) -> IntakeResult:
    """Take an order in (or find it again). ApiError 409 on a conflicting resend, 422 on bad content."""
    validate_order(request)
    digest = content_fingerprint(request)
    existing = find_order(session, request.channel, request.external_id)
    if existing is not None:
        if existing.fingerprint != digest:
            raise ApiError(
                409,
                "conflict",
                f"Order {request.ref} was already received (as {existing.reference}) with different content. "
                "An order cannot be changed by resending it: cancel it and send it with a new external_id.",
                order_id=existing.id,
            )
        if existing.payment_status != request.payment_status.value:
            update_payment(session, existing, request.payment_status, actor=actor, today=today)
        return IntakeResult(existing, created=False)

    product_ids = _products(session, request)
    order = Order(
        channel=request.channel,
        external_id=request.external_id,
        fingerprint=digest,
        status=OrderStatus.RECEIVED.value,
        customer_name=request.customer.name,
        customer_email=request.customer.email,
        ship_to=dataclasses.asdict(request.ship_to),
        payment_status=request.payment_status.value,
        priority=request.priority.value,
        priority_rank=request.priority.rank,
        requested_service=request.requested_service,
        promised_ship_date=request.promised_ship_date,
        lines=[
            OrderLine(
                line_no=n,
                product_id=product_ids[line.sku],
                sku=line.sku,
                qty=line.qty,
                reserved=0,
                picked=0,
                packed=0,
            )
            for n, line in enumerate(request.lines, 1)
        ],
    )
    session.add(order)
    hold = payment_hold_reason(request.payment_status)
    if hold:
        session.flush()
        events.record(
            session, order, "received", f"Received from {request.channel}", actor=actor, to_status="received"
        )
        order.hold_reason = hold
        events.move(session, order, OrderStatus.ON_HOLD, hold, actor=actor)
        return IntakeResult(order, created=True)
    accept_or_backorder(session, order, actor=actor, today=today, received=True)
    return IntakeResult(order, created=True)
