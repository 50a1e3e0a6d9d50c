"""Orders as they arrive: content, validation, the payment check and the identity used for idempotent intake.

The status an order is in, and how it moves, lives in `app.domain.order_status`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from enum import StrEnum
from typing import cast

from app.domain.errors import ValidationFailed
from app.domain.order_status import OrderStatus


class PaymentStatus(StrEnum):
    """Payment as the shop reports it (the Shopify `financial_status` values plus `unpaid`)."""

    PAID = "paid"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PENDING = "pending"
    UNPAID = "unpaid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    EXPIRED = "expired"


#: payment states that let an order go to the floor
CLEARED_PAYMENTS = frozenset({PaymentStatus.PAID, PaymentStatus.AUTHORIZED, PaymentStatus.PARTIALLY_REFUNDED})


class Priority(StrEnum):
    """How urgently an order should leave; higher rank is picked and backfilled first."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


@dataclass(frozen=True, slots=True)
class Customer:
    name: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    """Ship-to address; `country` is an ISO 3166-1 alpha-2 code."""

    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    """One line as ordered: a SKU and how many units."""

    sku: str
    qty: int


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """An order as a shop sends it, before it has an id or a status."""

    channel: str
    external_id: str
    lines: tuple[OrderLineRequest, ...]
    customer: Customer = field(default_factory=Customer)
    ship_to: Address = field(default_factory=Address)
    payment_status: PaymentStatus = PaymentStatus.PAID
    priority: Priority = Priority.NORMAL
    requested_service: str = ""
    promised_ship_date: date | None = None

    @property
    def ref(self) -> str:
        """How people name this order before it has an id: channel/external_id."""
        return f"{self.channel}/{self.external_id}"


def order_problems(order: OrderRequest) -> list[str]:
    """Everything wrong with an order's content, as messages; empty when it can be taken in."""
    problems: list[str] = []
    if not order.channel.strip():
        problems.append("channel is empty")
    if not order.external_id.strip():
        problems.append("external_id is empty")
    if not order.lines:
        problems.append("an order needs at least one line")
    seen: set[str] = set()
    for n, line in enumerate(order.lines, start=1):
        if not line.sku.strip():
            problems.append(f"line {n}: sku is empty")
        if line.qty < 1:
            problems.append(f"line {n} ({line.sku}): qty must be at least 1, got {line.qty}")
        if line.sku in seen:
            problems.append(
                f"line {n}: sku {line.sku} appears on two lines; send one line with the total qty"
            )
        seen.add(line.sku)
    return problems


def validate_order(order: OrderRequest) -> OrderRequest:
    """Return the order when valid, else raise ValidationFailed listing every problem."""
    problems = order_problems(order)
    if problems:
        raise ValidationFailed(f"order {order.ref}: " + "; ".join(problems))
    return order


def payment_hold_reason(payment: PaymentStatus) -> str | None:
    """Why an order with this payment state must wait, or None when it may proceed."""
    if payment in CLEARED_PAYMENTS:
        return None
    return f"payment is {payment.value}: the order waits until payment is paid or authorized"


def intake_status(payment: PaymentStatus) -> OrderStatus:
    """The status an order takes right after intake, before any stock is looked at."""
    return OrderStatus.ON_HOLD if payment_hold_reason(payment) else OrderStatus.RECEIVED


#: field names per dataclass, None for any other type seen
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _plain(value: object) -> object:
    """`dataclasses.asdict` minus its deep copy of every leaf (an intake hot spot; leaves are immutable)."""
    cls = type(value)
    try:
        names = _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if cls is tuple or cls is list:
        return [_plain(v) for v in cast("list[object]", value)]  # type(value) is tuple or list
    return value


def fingerprint(order: OrderRequest) -> str:
    """A stable digest of the order's content: the same order sent twice has the same fingerprint."""
    content = _plain(order)
    assert isinstance(content, dict)
    content["promised_ship_date"] = order.promised_ship_date.isoformat() if order.promised_ship_date else None
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
