"""Batching rules: small orders share a cart within limits; large and urgent orders are picked alone."""

from __future__ import annotations

from app.domain.batching import BatchLimits, OrderToRelease, plan_batches

LIMITS = BatchLimits(max_orders=3, max_lines=5, max_weight_g=2000, small_order_max_lines=2)


def o(order_id: int, rank: int = 1, lines: int = 1, weight: int = 100) -> OrderToRelease:
    return OrderToRelease(order_id, rank, lines, weight)


def test_small_orders_of_one_priority_fill_a_cart_up_to_the_order_limit() -> None:
    batches = plan_batches([o(i) for i in range(1, 8)], LIMITS)
    assert [b.order_ids for b in batches] == [(1, 2, 3), (4, 5, 6), (7,)]
    assert [b.kind for b in batches] == ["cluster", "cluster", "single"]


def test_line_and_weight_limits_close_a_batch() -> None:
    by_lines = plan_batches([o(1, lines=2), o(2, lines=2), o(3, lines=2)], LIMITS)
    assert [b.order_ids for b in by_lines] == [(1, 2), (3,)]
    by_weight = plan_batches([o(1, weight=1500), o(2, weight=600), o(3, weight=400)], LIMITS)
    assert [b.order_ids for b in by_weight] == [(1,), (2, 3)]


def test_large_orders_are_picked_alone_without_splitting_the_small_ones() -> None:
    batches = plan_batches([o(1), o(2, lines=4), o(3)], LIMITS)
    assert sorted(b.order_ids for b in batches) == [(1, 3), (2,)]


def test_priorities_are_never_mixed_and_the_highest_comes_first() -> None:
    batches = plan_batches([o(1, rank=1), o(2, rank=2), o(3, rank=1), o(4, rank=2)], LIMITS)
    assert [(b.priority_rank, b.order_ids) for b in batches] == [(2, (2, 4)), (1, (1, 3))]


def test_urgent_orders_never_wait_for_a_cart() -> None:
    batches = plan_batches([o(1, rank=3), o(2, rank=3)], LIMITS)
    assert [b.order_ids for b in batches] == [(1,), (2,)]


def test_every_order_is_in_exactly_one_batch() -> None:
    orders = [o(i, rank=i % 4, lines=1 + i % 3, weight=300 * (i % 5)) for i in range(1, 60)]
    ids = [i for b in plan_batches(orders, LIMITS) for i in b.order_ids]
    assert sorted(ids) == list(range(1, 60))
