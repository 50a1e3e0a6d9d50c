"""Grouping released orders into work: a large order is picked alone; small orders of the same priority
share a cluster batch (one tote per order on the cart) within limits on orders, lines and weight.

Pure and deterministic: highest priority first, then oldest. Priorities are never mixed in a batch, and
urgent orders are always picked alone, so an urgent order never waits for a cart to fill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: priority rank of urgent orders (app.domain.orders.Priority.URGENT.rank)
URGENT_RANK = 3


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """Limits of one cluster batch, and the largest order that may join one."""

    max_orders: int = 6
    max_lines: int = 20
    max_weight_g: int = 15000
    small_order_max_lines: int = 3


@dataclass(frozen=True, slots=True)
class OrderToRelease:
    """What batching needs to know about an order."""

    order_id: int
    priority_rank: int
    lines: int
    weight_g: int


@dataclass(frozen=True, slots=True)
class Batch:
    """Orders picked together: `single` (one order) or `cluster` (several)."""

    order_ids: tuple[int, ...]
    priority_rank: int

    @property
    def kind(self) -> str:
        return "single" if len(self.order_ids) == 1 else "cluster"


def _small(order: OrderToRelease, limits: BatchLimits) -> bool:
    return (
        order.priority_rank < URGENT_RANK
        and order.lines <= min(limits.small_order_max_lines, limits.max_lines)
        and order.weight_g <= limits.max_weight_g
    )


def _fits(batch: list[OrderToRelease], order: OrderToRelease, limits: BatchLimits) -> bool:
    return (
        len(batch) < limits.max_orders
        and sum(o.lines for o in batch) + order.lines <= limits.max_lines
        and sum(o.weight_g for o in batch) + order.weight_g <= limits.max_weight_g
    )


def plan_batches(orders: Sequence[OrderToRelease], limits: BatchLimits) -> list[Batch]:
    """The work units for `orders`: highest priority first, then oldest; each order in exactly one."""
    out: list[Batch] = []
    for rank in sorted({o.priority_rank for o in orders}, reverse=True):
        units: list[Batch] = []
        batch: list[OrderToRelease] = []
        for order in sorted((o for o in orders if o.priority_rank == rank), key=lambda o: o.order_id):
            if not _small(order, limits):
                units.append(Batch((order.order_id,), rank))
                continue
            if batch and not _fits(batch, order, limits):
                units.append(Batch(tuple(o.order_id for o in batch), rank))
                batch = []
            batch.append(order)
        if batch:
            units.append(Batch(tuple(o.order_id for o in batch), rank))
        out += sorted(units, key=lambda b: b.order_ids[0])
    return out
