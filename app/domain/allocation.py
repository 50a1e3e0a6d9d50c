"""The allocation rule: which stock slots reserve which order lines.

Pure and deterministic. For each line, slots of its SKU are taken in this order: expiring goods earliest
expiry first (FEFO), then by walking sequence, then location code and lot so that ties never depend on
input order. Expired stock is never allocated, nor stock waiting at the put-away location (units of
cancelled orders still in their totes, app.domain.stock.PUTAWAY_LOCATION). A line that cannot be fully
covered keeps what it got and reports its shortfall; an order with any shortfall is backordered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.order_status import OrderStatus
from app.domain.stock import PUTAWAY_LOCATION


@dataclass(frozen=True, slots=True)
class StockSlot:
    """Stock of one SKU at one location (and lot) for allocation; `available` = on hand - reserved."""

    slot_id: int
    sku: str
    location: str
    sequence: int
    available: int
    lot: str = ""
    expiry: date | None = None


@dataclass(frozen=True, slots=True)
class LineNeed:
    """An order line and how many units it still needs reserved."""

    line_id: int
    sku: str
    qty: int


@dataclass(frozen=True, slots=True)
class Reservation:
    """`qty` units of slot `slot_id` reserved for line `line_id`."""

    line_id: int
    slot_id: int
    qty: int


@dataclass(frozen=True, slots=True)
class Allocation:
    """The outcome: reservations to make and, per line, the units that could not be covered."""

    reservations: tuple[Reservation, ...]
    short: dict[int, int]

    @property
    def fully_covered(self) -> bool:
        return not self.short

    def status(self) -> OrderStatus:
        """The status after this allocation: accepted, or backordered when any line is short."""
        return OrderStatus.ACCEPTED if self.fully_covered else OrderStatus.BACKORDERED


def slot_order(slot: StockSlot) -> tuple[int, date, int, str, str]:
    """Sort key: earliest expiry first (no expiry last), then walking sequence, location, lot."""
    return (slot.expiry is None, slot.expiry or date.max, slot.sequence, slot.location, slot.lot)


def allocate(
    needs: Sequence[LineNeed], slots: Iterable[StockSlot], *, today: date | None = None
) -> Allocation:
    """Reserve stock for `needs` in order from `slots`; never hands out more than a slot has available."""
    remaining: dict[int, int] = {}
    by_sku: dict[str, list[StockSlot]] = {}
    for slot in slots:
        if slot.available <= 0 or (today is not None and slot.expiry is not None and slot.expiry < today):
            continue
        if slot.location == PUTAWAY_LOCATION:
            continue
        by_sku.setdefault(slot.sku, []).append(slot)
        remaining[slot.slot_id] = slot.available
    for candidates in by_sku.values():
        candidates.sort(key=slot_order)

    reservations: list[Reservation] = []
    short: dict[int, int] = {}
    for need in needs:
        wanted = need.qty
        for slot in by_sku.get(need.sku, ()):
            if wanted == 0:
                break
            take = min(wanted, remaining[slot.slot_id])
            if take:
                reservations.append(Reservation(need.line_id, slot.slot_id, take))
                remaining[slot.slot_id] -= take
                wanted -= take
        if wanted:
            short[need.line_id] = wanted
    return Allocation(tuple(reservations), short)
