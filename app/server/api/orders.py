"""/orders: intake (idempotent), lookup, lists with filters and paging, hold / release / cancel, history."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.order_status import OrderStatus
from app.server.api.deps import CallerDep, DbDep, ManagerDep, SessionDep, SettingsDep, WriterDep
from app.server.api.views import order_out
from app.server.clock import NowDep
from app.server.db.tx import run_write
from app.server.orders import cancellation, order_actions
from app.server.orders.intake import take_order
from app.server.orders.models import Order, OrderEvent, OrderLine
from app.server.orders.schemas import (
    CancelIn,
    HoldIn,
    OrderEventOut,
    OrderIn,
    OrderOut,
    OrderPage,
    PaymentIn,
)

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=201, response_model=OrderOut)
def post_order(body: OrderIn, db: DbDep, caller: WriterDep) -> Response:
    """Take an order in: 201 when new, 200 with the same order when resent, 409 when content differs."""
    request = body.to_domain()

    def work(session: Session) -> Response:
        result = take_order(session, request, actor=caller.actor)
        # serialised here, once: returning a Response skips FastAPI re-validating the model (hot path)
        return Response(
            order_out(result.order).model_dump_json(),
            status_code=201 if result.created else 200,
            media_type="application/json",
        )

    return run_write(db, work, retry_integrity=True)


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: int, session: SessionDep, _caller: CallerDep) -> OrderOut:
    """The order with its status and per line: qty, reserved, picked, packed."""
    return order_out(order_actions.load_order(session, order_id, lock=False))


@router.get("", response_model=OrderPage)
def list_orders(
    session: SessionDep,
    settings: SettingsDep,
    _caller: CallerDep,
    status: Annotated[list[OrderStatus] | None, Query(description="one or more statuses")] = None,
    channel: str | None = None,
    external_id: str | None = None,
    sku: str | None = Query(None, description="orders with a line of this SKU"),
    priority: str | None = None,
    promised_before: date | None = Query(None, description="promised ship date on or before this day"),
    limit: int = Query(50, ge=1),
    offset: int = Query(0, ge=0),
) -> OrderPage:
    """Orders, highest priority and oldest first, filtered; page with `limit` and `offset`."""
    limit = min(limit, settings.page_size_max)
    stmt = select(Order)
    if status:
        stmt = stmt.where(Order.status.in_([s.value for s in status]))
    if channel:
        stmt = stmt.where(Order.channel == channel)
    if external_id:
        stmt = stmt.where(Order.external_id == external_id)
    if priority:
        stmt = stmt.where(Order.priority == priority)
    if promised_before:
        stmt = stmt.where(Order.promised_ship_date <= promised_before)
    if sku:
        stmt = stmt.where(Order.id.in_(select(OrderLine.order_id).where(OrderLine.sku == sku)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Order.priority_rank.desc(), Order.id)
        .limit(limit)
        .offset(offset)
        .options(selectinload(Order.lines))
    ).all()
    next_offset = offset + limit if offset + limit < total else None
    return OrderPage(
        items=[order_out(o) for o in rows], total=total, limit=limit, offset=offset, next_offset=next_offset
    )


@router.get("/{order_id}/events", response_model=list[OrderEventOut])
def order_events(order_id: int, session: SessionDep, _caller: CallerDep) -> list[OrderEventOut]:
    """Everything that happened to the order, oldest first."""
    order_actions.load_order(session, order_id, lock=False)
    rows = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id))
    return [OrderEventOut.model_validate(e, from_attributes=True) for e in rows]


@router.post("/{order_id}/hold", response_model=OrderOut)
def hold_order(order_id: int, db: DbDep, caller: ManagerDep, body: HoldIn | None = None) -> OrderOut:
    """Stop the order (its reservations are kept); 409 once picking has started."""
    reason = body.reason if body else ""

    def work(session: Session) -> OrderOut:
        order = order_actions.load_order(session, order_id)
        return order_out(order_actions.hold(session, order, reason, actor=caller.actor))

    return run_write(db, work)


@router.post("/{order_id}/release", response_model=OrderOut)
def release_order(order_id: int, db: DbDep, caller: ManagerDep) -> OrderOut:
    """Lift a hold (stock is reserved again), or release an accepted order to the floor."""

    def work(session: Session) -> OrderOut:
        order = order_actions.load_order(session, order_id)
        return order_out(order_actions.release(session, order, actor=caller.actor))

    return run_write(db, work)


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: int, db: DbDep, caller: ManagerDep, now: NowDep, body: CancelIn | None = None
) -> OrderOut:
    """Cancel the order: reserved stock goes back, its open picks are withdrawn, and units already picked
    are booked at the put-away location for someone to put away; 409 once shipped."""
    reason = body.reason if body else ""

    def work(session: Session) -> OrderOut:
        return order_out(cancellation.cancel(session, order_id, reason, actor=caller.actor, now=now))

    return run_write(db, work, retry_integrity=True)  # two cancels creating one PUTAWAY slot at once


@router.post("/{order_id}/payment", response_model=OrderOut)
def update_payment(order_id: int, body: PaymentIn, db: DbDep, caller: ManagerDep) -> OrderOut:
    """Record a new payment status: paid/authorized lifts a payment hold; refunded/voided holds the order."""

    def work(session: Session) -> OrderOut:
        order = order_actions.load_order(session, order_id)
        return order_out(
            order_actions.update_payment(session, order, body.payment_status, actor=caller.actor)
        )

    return run_write(db, work)
