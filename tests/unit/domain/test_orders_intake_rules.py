"""Order content rules: validation, the payment check and the fingerprint behind idempotent intake."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.domain.errors import ValidationFailed
from app.domain.order_status import OrderStatus
from app.domain.orders import (
    Address,
    OrderLineRequest,
    OrderRequest,
    PaymentStatus,
    Priority,
    fingerprint,
    intake_status,
    order_problems,
    payment_hold_reason,
    validate_order,
)


def order(**changes: object) -> OrderRequest:
    base = OrderRequest(channel="web", external_id="1001", lines=(OrderLineRequest("MUG-RED", 2),))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_complete_order_has_no_problems() -> None:
    assert order_problems(order()) == []


def test_order_without_lines_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="order web/1001: an order needs at least one line"):
        validate_order(order(lines=()))


def test_zero_quantity_names_the_line_and_sku() -> None:
    problems = order_problems(order(lines=(OrderLineRequest("A", 1), OrderLineRequest("B", 0))))
    assert problems == ["line 2 (B): qty must be at least 1, got 0"]


def test_the_same_sku_on_two_lines_is_refused() -> None:
    problems = order_problems(order(lines=(OrderLineRequest("A", 1), OrderLineRequest("A", 2))))
    assert problems == ["line 2: sku A appears on two lines; send one line with the total qty"]


def test_missing_identity_is_reported() -> None:
    assert order_problems(order(channel=" ", external_id="")) == ["channel is empty", "external_id is empty"]


@pytest.mark.parametrize("payment", [PaymentStatus.PAID, PaymentStatus.AUTHORIZED])
def test_paid_or_authorized_orders_proceed(payment: PaymentStatus) -> None:
    assert payment_hold_reason(payment) is None
    assert intake_status(payment) is OrderStatus.RECEIVED


@pytest.mark.parametrize(
    "payment",
    [
        PaymentStatus.PENDING,
        PaymentStatus.PARTIALLY_PAID,
        PaymentStatus.UNPAID,
        PaymentStatus.VOIDED,
        PaymentStatus.REFUNDED,
        PaymentStatus.EXPIRED,
    ],
)
def test_other_payment_states_hold_the_order_with_the_reason(payment: PaymentStatus) -> None:
    assert intake_status(payment) is OrderStatus.ON_HOLD
    assert payment_hold_reason(payment) == (
        f"payment is {payment.value}: the order waits until payment is paid or authorized"
    )


def test_same_content_gives_the_same_fingerprint() -> None:
    assert fingerprint(order(promised_ship_date=date(2026, 1, 2))) == fingerprint(
        order(promised_ship_date=date(2026, 1, 2))
    )


@pytest.mark.parametrize(
    "change",
    [
        {"lines": (OrderLineRequest("MUG-RED", 3),)},
        {"ship_to": Address(city="Paris")},
        {"priority": Priority.URGENT},
        {"promised_ship_date": date(2026, 1, 3)},
    ],
)
def test_any_content_change_changes_the_fingerprint(change: dict[str, object]) -> None:
    assert fingerprint(order(**change)) != fingerprint(order())


def test_priority_ranks_order_urgent_first() -> None:
    assert sorted(Priority, key=lambda p: -p.rank) == [
        Priority.URGENT,
        Priority.HIGH,
        Priority.NORMAL,
        Priority.LOW,
    ]
