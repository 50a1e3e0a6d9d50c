"""Order intake: idempotent on (channel, external_id), payment check, reservation at acceptance.

The same order sent again returns the existing order. A resend that differs only in `payment_status` is a
payment update (it can clear a payment hold). Any other difference is a conflict (409).

A new order is the hot path (hundreds per second). On PostgreSQL it takes two statements (see `intake_pg`):
one looks the order and its SKUs up and locks their stock, one writes order, lines, reservations, events and
the raised `reserved` counts. On SQLite it takes a handful of prebuilt Core statements. Either way the
returned Order is a detached object built from those values, so no ORM unit of work runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, selectinload

from app.domain.allocation import LineNeed
from app.domain.order_status import OrderStatus
from app.domain.orders import OrderRequest, PaymentStatus, fingerprint, payment_hold_reason, validate_order
from app.server.catalogue.models import Product
from app.server.db.base import utcnow
from app.server.errors import ApiError
from app.server.orders import intake_pg
from app.server.orders.models import Order, OrderEvent, OrderLine
from app.server.orders.order_actions import update_payment
from app.server.stock.reservations import (
    LockedStock,
    ReservationPlan,
    apply_plan,
    plan_locked,
    plan_reservations,
)


@dataclass(frozen=True, slots=True)
class NewLine:
    """A line of a just-created order, as written."""

    id: int
    line_no: int
    product_id: int
    sku: str
    qty: int
    reserved: int
    picked: int
    packed: int


@dataclass(frozen=True, slots=True)
class NewOrder:
    """A just-created order, as written: what an `Order` row would hold, without an ORM instance's cost."""

    id: int
    channel: str
    external_id: str
    fingerprint: str
    status: str
    hold_reason: str
    customer_name: str
    customer_email: str
    ship_to: dict[str, Any]
    payment_status: str
    priority: str
    priority_rank: int
    requested_service: str
    promised_ship_date: date | None
    created_at: datetime
    updated_at: datetime
    lines: list[NewLine]

    @property
    def reference(self) -> str:
        """The label printed on pack slips, as `Order.reference`."""
        return f"ORD-{self.id}"


@dataclass
class IntakeResult:
    """The order, and whether this request created it (201) or found it (200)."""

    order: Order | NewOrder
    created: bool


def content_fingerprint(request: OrderRequest) -> str:
    """The fingerprint that decides "same order": everything except the payment status."""
    return fingerprint(dataclasses.replace(request, payment_status=PaymentStatus.PAID))


def find_order(session: Session, channel: str, external_id: str, *, lock: bool = True) -> Order | None:
    """The order a shop knows as (channel, external_id), with its lines (locked for update by default)."""
    stmt = (
        select(Order)
        .where(Order.channel == channel, Order.external_id == external_id)
        .options(selectinload(Order.lines))
    )
    return session.scalars(stmt.with_for_update() if lock else stmt).first()


# Built once: a prebuilt statement skips construction and cache-key work on the hot path.
_EXISTS = select(Order.id).where(Order.channel == bindparam("channel"), Order.external_id == bindparam("ext"))
_SKUS = select(Product.sku, Product.id).where(Product.sku.in_(bindparam("skus", expanding=True)))
_INSERT_ORDER = insert(Order).returning(Order.id)
_INSERT_LINES = insert(OrderLine).returning(OrderLine.id, sort_by_parameter_order=True)
_INSERT_EVENTS = insert(OrderEvent)


def _exists(session: Session, request: OrderRequest) -> bool:
    params = {"channel": request.channel, "ext": request.external_id}
    return session.connection().execute(_EXISTS, params).first() is not None


def _products(session: Session, request: OrderRequest) -> dict[str, int]:
    skus = sorted({line.sku for line in request.lines})
    rows = session.connection().execute(_SKUS, {"skus": skus})
    return _known(request, {sku: product_id for sku, product_id in rows})


def _known(request: OrderRequest, found: dict[str, int]) -> dict[str, int]:
    """`found` (product id by SKU) when it has every SKU of the order; ApiError 422 naming the others."""
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
    hold = payment_hold_reason(request.payment_status)
    locked: LockedStock | None = None
    if session.get_bind().dialect.name == "postgresql":
        skus = sorted({line.sku for line in request.lines})
        conn = session.connection()
        found = intake_pg.look_and_lock(
            conn, request.channel, request.external_id, skus, reserve=hold is None
        )
        if found.existing_id is not None:
            return _resend(session, request, digest, actor=actor, today=today)
        product_ids, locked = _known(request, found.product_ids), found.locked
    else:
        if _exists(session, request):
            return _resend(session, request, digest, actor=actor, today=today)
        product_ids = _products(session, request)
    order = _insert_new(session, request, digest, product_ids, locked, hold, actor=actor, today=today)
    return IntakeResult(order, True)


def _resend(
    session: Session, request: OrderRequest, digest: str, *, actor: str, today: date | None
) -> IntakeResult:
    existing = find_order(session, request.channel, request.external_id)
    assert existing is not None
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


def _insert_new(
    session: Session,
    request: OrderRequest,
    digest: str,
    product_ids: dict[str, int],
    locked: LockedStock | None,
    hold: str | None,
    *,
    actor: str,
    today: date | None,
) -> NewOrder:
    """Insert a new order; `locked` is its stock when already locked (PostgreSQL), else it is locked here."""
    now = utcnow()
    plan: ReservationPlan | None = None
    reserved: dict[int, int] = {}
    if hold is None:
        needs = [LineNeed(i, line.sku, line.qty) for i, line in enumerate(request.lines)]
        if locked is None:
            plan = plan_reservations(session, needs, set(product_ids.values()), today=today)
        else:
            plan = plan_locked(locked, needs, today=today)
        reserved = plan.reserved_per_line()
    status = OrderStatus.ACCEPTED
    if hold:
        status = OrderStatus.ON_HOLD
    elif plan and plan.short:
        status = OrderStatus.BACKORDERED
    values: dict[str, Any] = {
        "channel": request.channel,
        "external_id": request.external_id,
        "fingerprint": digest,
        "status": status.value,
        "hold_reason": hold or "",
        "customer_name": request.customer.name,
        "customer_email": request.customer.email,
        "ship_to": dataclasses.asdict(request.ship_to),
        "payment_status": request.payment_status.value,
        "priority": request.priority.value,
        "priority_rank": request.priority.rank,
        "requested_service": request.requested_service,
        "promised_ship_date": request.promised_ship_date,
        "created_at": now,
        "updated_at": now,
    }
    line_values: list[dict[str, Any]] = [
        {
            "line_no": n,
            "product_id": product_ids[line.sku],
            "sku": line.sku,
            "qty": line.qty,
            "reserved": reserved.get(n - 1, 0),
            "picked": 0,
            "packed": 0,
        }
        for n, line in enumerate(request.lines, 1)
    ]
    events = _intake_events(request, status, hold, plan)
    conn = session.connection()
    if locked is not None:  # PostgreSQL: look_and_lock has locked the stock
        order_id, line_ids = intake_pg.insert_order(conn, values, line_values, plan, events, actor=actor)
    else:
        order_id = conn.execute(_INSERT_ORDER, values).scalar_one()
        rows = [{"order_id": order_id, **v} for v in line_values]
        line_ids = list(conn.execute(_INSERT_LINES, rows).scalars())
        if plan is not None:
            apply_plan(session, plan, line_ids)
        conn.execute(_INSERT_EVENTS, [{"order_id": order_id, "actor": actor, "at": now, **e} for e in events])
    lines = [NewLine(id=i, **v) for i, v in zip(line_ids, line_values, strict=True)]
    return NewOrder(id=order_id, **values, lines=lines)


def _intake_events(
    request: OrderRequest, status: OrderStatus, hold: str | None, plan: ReservationPlan | None
) -> list[dict[str, Any]]:
    """The order's first two events: received, then accepted / backordered / on hold (with why)."""
    if hold:
        message, data = hold, {}
    elif plan and plan.short:
        short = {request.lines[i].sku: n for i, n in plan.short.items()}
        message = "Backordered: " + ", ".join(f"{sku} short by {n}" for sku, n in short.items())
        data = {"short": short}
    else:
        message, data = "Accepted: every line reserved", {}
    return [
        {
            "type": "received",
            "message": f"Received from {request.channel}",
            "from_status": None,
            "to_status": OrderStatus.RECEIVED.value,
            "data": {},
        },
        {
            "type": f"status.{status.value}",
            "message": message,
            "from_status": OrderStatus.RECEIVED.value,
            "to_status": status.value,
            "data": data,
        },
    ]
