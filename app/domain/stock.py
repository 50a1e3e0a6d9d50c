"""Stock: quantities per product × location × lot, changed only by moves that carry a reason.

A move never overwrites a quantity: it adds a signed delta and says why (receipt, pick, short, adjustment,
return). Reserved units belong to orders; `available` is what allocation may still hand out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.errors import ValidationFailed


class MoveReason(StrEnum):
    """Why stock changed; every stock move carries one."""

    RECEIPT = "receipt"  # goods arrived (+)
    PICK = "pick"  # taken from the location for an order (-)
    SHORT = "short"  # a picker found less than expected (-)
    ADJUSTMENT = "adjustment"  # a count or correction (+/-)
    RETURN = "return"  # a returned unit restocked (+)
    SCRAP = "scrap"  # damaged or expired, written off (-)
    CANCEL = "cancel"  # picked units of a cancelled order booked back at PUTAWAY_LOCATION (+)


#: reasons that may only add stock, and reasons that may only remove it
INBOUND = frozenset({MoveReason.RECEIPT, MoveReason.RETURN, MoveReason.CANCEL})

#: Picked (or packed) units of an order cancelled before shipping are booked back here at once, so stock stays
#: exact, while they still sit in the tote or box; nothing is allocated from here. A person puts them away
#: (an adjustment out of here and into the shelf) as the `putaway` exception asks.
PUTAWAY_LOCATION = "PUTAWAY"
OUTBOUND = frozenset({MoveReason.PICK, MoveReason.SHORT, MoveReason.SCRAP})


@dataclass(frozen=True, slots=True)
class StockLevel:
    """What one stock slot (product × location × lot) holds."""

    on_hand: int
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class StockMove:
    """A change of stock at one slot: a signed `delta` with its `reason` (and a note or order reference)."""

    sku: str
    location: str
    delta: int
    reason: MoveReason
    lot: str = ""
    note: str = ""


def move_problem(level: StockLevel, move: StockMove) -> str | None:
    """Why `move` cannot be applied to `level`, or None when it can."""
    if move.delta == 0:
        return "a stock move of 0 units changes nothing; send a non-zero qty"
    if move.reason in INBOUND and move.delta < 0:
        return f"a {move.reason.value} adds stock; qty must be positive, got {move.delta}"
    if move.reason in OUTBOUND and move.delta > 0:
        return f"a {move.reason.value} removes stock; qty must be negative, got {move.delta}"
    if level.on_hand + move.delta < 0:
        where = f"{move.sku} at {move.location}" + (f" lot {move.lot}" if move.lot else "")
        return f"{where} holds {level.on_hand}; it cannot lose {-move.delta}"
    return None


def apply_move(level: StockLevel, move: StockMove) -> StockLevel:
    """The level after `move`; raises ValidationFailed when the move is impossible.

    Reservations are kept as they are: if on_hand drops below reserved, the caller must take reservations
    back (`over_reserved`) and re-allocate those orders.
    """
    problem = move_problem(level, move)
    if problem:
        raise ValidationFailed(problem)
    return StockLevel(on_hand=level.on_hand + move.delta, reserved=level.reserved)


def over_reserved(level: StockLevel) -> int:
    """How many reserved units no longer exist at this slot (0 when reservations are covered)."""
    return max(0, level.reserved - level.on_hand)


def receipt_problems(
    *, qty: int, lot: str, expiry: date | None, lot_tracked: bool, expiry_tracked: bool
) -> list[str]:
    """What is wrong with a receipt for a product with these tracking flags; empty when it is fine."""
    problems = []
    if qty < 1:
        problems.append(f"qty must be at least 1, got {qty}")
    if lot_tracked and not lot:
        problems.append("this product is lot-tracked: send the lot")
    if expiry_tracked and expiry is None:
        problems.append("this product tracks expiry: send the expiry date (YYYY-MM-DD)")
    return problems
