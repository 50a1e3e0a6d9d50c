"""The order state machine over the seven phases of the floor (acceptance … follow-up).

`transition(current, target)` is the only way a status changes; it refuses every move the table below does not
allow with `IllegalTransition`, naming where the order is and where it could go instead.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import IllegalTransition


class OrderStatus(StrEnum):
    """Where an order is in its life; the values are the API's `status` strings."""

    RECEIVED = "received"  # taken in, not yet checked
    ON_HOLD = "on_hold"  # stopped: payment missing or a person put it on hold
    BACKORDERED = "backordered"  # accepted in principle, but stock does not cover every line
    ACCEPTED = "accepted"  # every line reserved, waiting to be released to the floor
    RELEASED = "released"  # handed to the floor (in a work unit)
    PICKING = "picking"
    PICKED = "picked"
    PACKING = "packing"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURN_REQUESTED = "return_requested"  # an RMA was issued
    RETURN_RECEIVED = "return_received"  # the parcel came back, waiting for inspection
    RETURNED = "returned"  # inspected; restocked or scrapped, refund due
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = OrderStatus

#: every allowed move; anything else is an IllegalTransition
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.RECEIVED: frozenset({S.ON_HOLD, S.BACKORDERED, S.ACCEPTED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.BACKORDERED, S.ACCEPTED, S.CANCELLED}),
    S.BACKORDERED: frozenset({S.ACCEPTED, S.ON_HOLD, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.RELEASED, S.BACKORDERED, S.ON_HOLD, S.CANCELLED}),
    S.RELEASED: frozenset({S.PICKING, S.ACCEPTED, S.ON_HOLD, S.CANCELLED}),
    S.PICKING: frozenset({S.PICKED, S.BACKORDERED, S.CANCELLED}),
    S.PICKED: frozenset({S.PACKING, S.CANCELLED}),
    S.PACKING: frozenset({S.PACKED, S.PICKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.PACKING, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.RETURN_REQUESTED, S.CLOSED}),
    S.DELIVERED: frozenset({S.RETURN_REQUESTED, S.CLOSED}),
    S.RETURN_REQUESTED: frozenset({S.RETURN_RECEIVED, S.DELIVERED, S.CLOSED}),
    S.RETURN_RECEIVED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: statuses in which the order holds (or waits for) stock reservations that have not been picked yet
OPEN_FOR_RESERVATION = frozenset({S.BACKORDERED, S.ACCEPTED, S.RELEASED, S.ON_HOLD})


def after_picking(unfilled_units: int) -> OrderStatus:
    """Where an order goes when its last open pick is done: PICKED, or BACKORDERED while units are unfilled.

    Ship complete: a short that no other location could cover leaves the order waiting as a backorder, its
    picked units staged in their tote, until stock arrives and the remainder is picked; it never ships
    partially (a customer gets one parcel, and a split would need a second label and a second charge).
    """
    return S.BACKORDERED if unfilled_units > 0 else S.PICKED


#: what people call each move, for messages ("cannot be cancelled")
_VERBS = {
    S.ON_HOLD: "put on hold",
    S.CANCELLED: "cancelled",
    S.ACCEPTED: "accepted",
    S.RELEASED: "released to the floor",
    S.BACKORDERED: "backordered",
    S.SHIPPED: "shipped",
    S.CLOSED: "closed",
}


def allowed_next(current: OrderStatus) -> frozenset[OrderStatus]:
    """The statuses an order in `current` may move to."""
    return TRANSITIONS[current]


def is_final(status: OrderStatus) -> bool:
    """True for closed and cancelled: nothing happens to such an order any more."""
    return not TRANSITIONS[status]


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    """True when `current` → `target` is an allowed move."""
    return target in TRANSITIONS[current]


def transition(current: OrderStatus, target: OrderStatus, *, order_ref: str = "the order") -> OrderStatus:
    """Return `target` when the move is allowed, else raise IllegalTransition with an actionable message."""
    current, target = OrderStatus(current), OrderStatus(target)
    if can_transition(current, target):
        return target
    verb = _VERBS.get(target, f"moved to {target.value}")
    if is_final(current):
        raise IllegalTransition(f"{order_ref} is {current.value}; it is final and cannot be {verb}.")
    options = ", ".join(sorted(s.value for s in TRANSITIONS[current]))
    raise IllegalTransition(
        f"{order_ref} is {current.value}; it cannot be {verb}. From {current.value} it can go to: {options}."
    )
