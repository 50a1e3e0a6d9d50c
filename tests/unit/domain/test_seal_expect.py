"""What the seal step expects: the box (chosen, else suggested) and the weight range that passes with it."""

from __future__ import annotations

from app.domain.packing import (
    BoxType,
    PackBench,
    PackLine,
    PackOrder,
    WeightTolerance,
    expect_next,
    weight_range,
)
from app.domain.work import ExpectKind

S = BoxType("S", 150, (250, 200, 100))
M = BoxType("M", 250, (350, 250, 150))
BENCH = PackBench((S, M), WeightTolerance(grams=50, percent=5.0))


def verified_order(qty: int = 2, weight_g: int = 350) -> PackOrder:
    return PackOrder("2001", [PackLine("MUG", "Mug", qty, weight_g, (100, 90, 110), verified=qty)])


def test_the_seal_expects_the_suggested_box_and_its_weight_range() -> None:
    expect = expect_next(verified_order(), BENCH)
    assert expect.kind is ExpectKind.SEAL
    assert (expect.box, expect.suggested_box, expect.weight_min_g, expect.weight_max_g) == (
        "S",
        "S",
        800,
        900,
    )


def test_a_chosen_box_and_a_heavy_order_move_the_range_by_tare_and_percent() -> None:
    order = verified_order(qty=4, weight_g=1000)  # 4 kg + 250 g: 5 % (212 g) is more than 50 g
    order.box = "m"
    expect = expect_next(order, BENCH)
    assert (expect.box, expect.suggested_box) == ("M", "S")
    assert (
        (expect.weight_min_g, expect.weight_max_g) == weight_range(order, M, BENCH.tolerance) == (4038, 4462)
    )


def test_without_a_bench_or_before_every_unit_is_verified_no_range_is_given() -> None:
    assert expect_next(verified_order()).weight_min_g is None
    order = verified_order()
    order.lines[0].verified = 1
    assert expect_next(order, BENCH).as_dict().keys() == {
        "kind",
        "prompt",
        "sku",
        "product",
        "qty",
        "order_id",
    }
