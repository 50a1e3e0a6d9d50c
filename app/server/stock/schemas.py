"""Bodies for stock receipts, adjustments and stock queries."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sync.bodies import RequestBody


class ReceiptIn(RequestBody):
    """Goods arrived: `qty` units of `sku` put away at `location` (with lot and expiry when tracked)."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1)
    location: str = Field(min_length=1)
    qty: int = Field(ge=1)
    lot: str = ""
    expiry: date | None = None
    note: str = ""


class AdjustmentIn(RequestBody):
    """A correction: either `delta` (signed units) or `counted` (what a count found); a note says why."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1)
    location: str = Field(min_length=1)
    lot: str = ""
    delta: int | None = None
    counted: int | None = Field(None, ge=0)
    expiry: date | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_of(self) -> AdjustmentIn:
        if (self.delta is None) == (self.counted is None):
            raise ValueError("send exactly one of delta (signed change) or counted (the quantity found)")
        return self


class StockOut(BaseModel):
    """One stock slot: what is on hand, how much is reserved for orders, and what is still available."""

    sku: str
    name: str
    location: str
    sequence: int
    lot: str
    expiry: date | None
    on_hand: int
    reserved: int
    available: int


class StockChangeOut(StockOut):
    """A stock slot after a receipt or adjustment, and the orders that this accepted or re-allocated."""

    move_id: int
    delta: int
    reason: str
    orders_accepted: list[int] = Field(default_factory=list)
    orders_backordered: list[int] = Field(default_factory=list)
