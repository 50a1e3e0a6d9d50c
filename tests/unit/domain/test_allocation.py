"""The allocation rule: FEFO for expiring goods, then walking sequence; short lines backorder the order."""

from __future__ import annotations

from datetime import date

from app.domain.allocation import LineNeed, Reservation, StockSlot, allocate
from app.domain.order_status import OrderStatus
from app.domain.stock import PUTAWAY_LOCATION


def slot(
    slot_id: int,
    sku: str,
    location: str,
    sequence: int,
    available: int,
    lot: str = "",
    expiry: date | None = None,
) -> StockSlot:
    return StockSlot(slot_id, sku, location, sequence, available, lot, expiry)


def test_line_is_taken_from_the_earliest_slot_on_the_walking_path() -> None:
    slots = [slot(1, "A", "B-01", 30, 5), slot(2, "A", "A-01", 10, 5)]
    out = allocate([LineNeed(100, "A", 3)], slots)
    assert out.reservations == (Reservation(100, 2, 3),)
    assert out.fully_covered and out.status() is OrderStatus.ACCEPTED


def test_expiring_goods_go_earliest_expiry_first_even_if_further_away() -> None:
    slots = [
        slot(1, "M", "A-01", 10, 5, "L2", date(2030, 6, 1)),
        slot(2, "M", "C-09", 90, 5, "L1", date(2030, 1, 1)),
    ]
    out = allocate([LineNeed(1, "M", 7)], slots)
    assert out.reservations == (Reservation(1, 2, 5), Reservation(1, 1, 2))


def test_expired_stock_is_never_allocated() -> None:
    slots = [
        slot(1, "M", "A-01", 10, 5, "OLD", date(2020, 1, 1)),
        slot(2, "M", "A-02", 20, 1, "NEW", date(2031, 1, 1)),
    ]
    out = allocate([LineNeed(1, "M", 3)], slots, today=date(2026, 1, 1))
    assert out.reservations == (Reservation(1, 2, 1),)
    assert out.short == {1: 2}


def test_line_spanning_two_slots_is_split() -> None:
    slots = [slot(1, "A", "A-01", 10, 2), slot(2, "A", "A-02", 20, 2)]
    out = allocate([LineNeed(1, "A", 3)], slots)
    assert out.reservations == (Reservation(1, 1, 2), Reservation(1, 2, 1))


def test_a_line_not_fully_coverable_keeps_what_it_got_and_backorders_the_order() -> None:
    out = allocate(
        [LineNeed(1, "A", 1), LineNeed(2, "B", 5)], [slot(1, "A", "A-01", 1, 9), slot(2, "B", "A-02", 2, 3)]
    )
    assert out.short == {2: 2}
    assert Reservation(2, 2, 3) in out.reservations
    assert out.status() is OrderStatus.BACKORDERED


def test_two_lines_never_share_the_same_units() -> None:
    out = allocate([LineNeed(1, "A", 3), LineNeed(2, "A", 3)], [slot(1, "A", "A-01", 1, 4)])
    assert out.reservations == (Reservation(1, 1, 3), Reservation(2, 1, 1))
    assert out.short == {2: 2}


def test_slots_with_nothing_available_and_other_skus_are_ignored() -> None:
    out = allocate([LineNeed(1, "A", 1)], [slot(1, "A", "A-01", 1, 0), slot(2, "B", "A-02", 2, 9)])
    assert out.reservations == () and out.short == {1: 1}


def test_ties_are_broken_by_location_code_not_input_order() -> None:
    a = allocate([LineNeed(1, "A", 1)], [slot(1, "A", "A-02", 5, 1), slot(2, "A", "A-01", 5, 1)])
    b = allocate([LineNeed(1, "A", 1)], [slot(2, "A", "A-01", 5, 1), slot(1, "A", "A-02", 5, 1)])
    assert a == b and a.reservations == (Reservation(1, 2, 1),)


def test_units_waiting_at_the_putaway_location_are_never_allocated() -> None:
    slots = [slot(1, "A", PUTAWAY_LOCATION, 0, 5), slot(2, "A", "B-01", 30, 1)]
    out = allocate([LineNeed(100, "A", 3)], slots)
    assert out.reservations == (Reservation(100, 2, 1),) and out.short == {100: 2}
