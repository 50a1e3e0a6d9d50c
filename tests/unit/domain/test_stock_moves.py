"""Stock moves: a signed delta with a reason, never a silent overwrite, never below zero."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import ValidationFailed
from app.domain.stock import MoveReason, StockLevel, StockMove, apply_move, over_reserved, receipt_problems


def move(delta: int, reason: MoveReason = MoveReason.ADJUSTMENT, lot: str = "") -> StockMove:
    return StockMove("MUG-RED", "A-01-01-1", delta, reason, lot)


def test_receipt_adds_to_on_hand_and_keeps_reservations() -> None:
    assert apply_move(StockLevel(5, 2), move(3, MoveReason.RECEIPT)) == StockLevel(8, 2)


def test_pick_and_short_remove_stock() -> None:
    assert apply_move(StockLevel(5), move(-2, MoveReason.PICK)).on_hand == 3
    assert apply_move(StockLevel(5), move(-5, MoveReason.SHORT)).on_hand == 0


def test_stock_cannot_go_below_zero() -> None:
    with pytest.raises(ValidationFailed, match="MUG-RED at A-01-01-1 lot L7 holds 2; it cannot lose 3"):
        apply_move(StockLevel(2), move(-3, lot="L7"))


@pytest.mark.parametrize("reason", [MoveReason.RECEIPT, MoveReason.RETURN, MoveReason.CANCEL])
def test_inbound_reasons_must_add(reason: MoveReason) -> None:
    with pytest.raises(ValidationFailed, match=f"a {reason.value} adds stock"):
        apply_move(StockLevel(5), move(-1, reason))


@pytest.mark.parametrize("reason", [MoveReason.PICK, MoveReason.SHORT, MoveReason.SCRAP])
def test_outbound_reasons_must_remove(reason: MoveReason) -> None:
    with pytest.raises(ValidationFailed, match=f"a {reason.value} removes stock"):
        apply_move(StockLevel(5), move(1, reason))


def test_a_move_of_nothing_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="0 units changes nothing"):
        apply_move(StockLevel(5), move(0))


def test_adjustment_below_reserved_reports_the_reserved_units_now_missing() -> None:
    level = apply_move(StockLevel(5, 4), move(-3))
    assert level == StockLevel(2, 4)
    assert over_reserved(level) == 2
    assert over_reserved(StockLevel(5, 4)) == 0


def test_available_is_on_hand_minus_reserved() -> None:
    assert StockLevel(7, 3).available == 4


def test_lot_tracked_receipt_needs_lot_and_expiry_tracked_needs_expiry() -> None:
    assert receipt_problems(qty=1, lot="", expiry=None, lot_tracked=True, expiry_tracked=True) == [
        "this product is lot-tracked: send the lot",
        "this product tracks expiry: send the expiry date (YYYY-MM-DD)",
    ]
    assert (
        receipt_problems(qty=1, lot="L1", expiry=date(2030, 1, 1), lot_tracked=True, expiry_tracked=True)
        == []
    )
    assert receipt_problems(qty=0, lot="", expiry=None, lot_tracked=False, expiry_tracked=False) == [
        "qty must be at least 1, got 0"
    ]
