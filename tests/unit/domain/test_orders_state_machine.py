"""The order state machine: every allowed move works, every other move is refused with a clear message."""

from __future__ import annotations

import itertools

import pytest

from app.domain.errors import IllegalTransition
from app.domain.order_status import (
    TRANSITIONS,
    OrderStatus,
    after_picking,
    allowed_next,
    is_final,
    transition,
)

S = OrderStatus
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
ILLEGAL = [
    (a, b) for a, b in itertools.product(OrderStatus, OrderStatus) if b not in TRANSITIONS[a] and a != b
]


def test_every_status_has_a_row_in_the_table() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_move_returns_the_target(current: OrderStatus, target: OrderStatus) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_move_is_refused_naming_both_states(current: OrderStatus, target: OrderStatus) -> None:
    with pytest.raises(IllegalTransition) as err:
        transition(current, target, order_ref="Order ORD-7")
    assert err.value.message.startswith(f"Order ORD-7 is {current.value};")
    assert err.value.code == "illegal_transition"


def test_the_happy_path_runs_from_received_to_closed() -> None:
    path = [
        S.RECEIVED,
        S.ACCEPTED,
        S.RELEASED,
        S.PICKING,
        S.PICKED,
        S.PACKING,
        S.PACKED,
        S.SHIPPED,
        S.DELIVERED,
        S.CLOSED,
    ]
    for current, target in itertools.pairwise(path):
        assert transition(current, target) is target


def test_the_return_path_runs_from_delivered_to_closed() -> None:
    path = [S.DELIVERED, S.RETURN_REQUESTED, S.RETURN_RECEIVED, S.RETURNED, S.CLOSED]
    for current, target in itertools.pairwise(path):
        assert transition(current, target) is target


def test_shipped_order_cannot_be_cancelled_and_the_message_lists_the_options() -> None:
    with pytest.raises(
        IllegalTransition,
        match=r"is shipped; it cannot be cancelled\. From shipped it can go to: "
        r"closed, delivered, return_requested\.",
    ):
        transition(S.SHIPPED, S.CANCELLED, order_ref="Order ORD-1")


def test_cancelled_and_closed_are_final() -> None:
    assert is_final(S.CANCELLED) and is_final(S.CLOSED)
    with pytest.raises(IllegalTransition, match="it is final and cannot be put on hold"):
        transition(S.CANCELLED, S.ON_HOLD)


def test_a_backordered_order_cannot_go_to_the_floor_before_it_is_accepted() -> None:
    assert S.RELEASED not in allowed_next(S.BACKORDERED)
    with pytest.raises(IllegalTransition, match="cannot be released to the floor"):
        transition(S.BACKORDERED, S.RELEASED)


def test_picking_cannot_be_put_on_hold_or_skip_packing() -> None:
    with pytest.raises(IllegalTransition):
        transition(S.PICKING, S.ON_HOLD)
    with pytest.raises(IllegalTransition):
        transition(S.PICKED, S.SHIPPED)


def test_status_strings_are_accepted_too() -> None:
    assert transition("received", "accepted") is S.ACCEPTED  # type: ignore[arg-type]


def test_an_order_with_unfilled_units_after_picking_waits_as_a_backorder_and_never_ships_partially() -> None:
    assert after_picking(0) is S.PICKED
    assert after_picking(1) is S.BACKORDERED
    assert transition(S.PICKING, after_picking(1)) is S.BACKORDERED
