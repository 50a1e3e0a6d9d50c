"""Bodies for orders: intake, the order as the API shows it, lists and the event history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.orders import Address, Customer, OrderLineRequest, OrderRequest, PaymentStatus, Priority
from sync.bodies import RequestBody


class CustomerIn(RequestBody):
    name: str = ""
    email: str = ""


class AddressIn(RequestBody):
    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = Field(default="", max_length=2, description="ISO 3166-1 alpha-2, e.g. DE")


class LineIn(RequestBody):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1)
    qty: int = Field(ge=1)


class OrderIn(RequestBody):
    """An order from a shop; `(channel, external_id)` identifies it, so sending it twice is harmless."""

    model_config = ConfigDict(extra="forbid")

    channel: str = Field(min_length=1, max_length=64)
    external_id: str = Field(min_length=1, max_length=128)
    customer: CustomerIn = Field(default_factory=CustomerIn)
    ship_to: AddressIn = Field(default_factory=lambda: AddressIn())
    lines: list[LineIn] = Field(min_length=1)
    payment_status: PaymentStatus = PaymentStatus.PAID
    priority: Priority = Priority.NORMAL
    requested_service: str = ""
    promised_ship_date: date | None = None

    def to_domain(self) -> OrderRequest:
        return OrderRequest(
            channel=self.channel.strip(),
            external_id=self.external_id.strip(),
            lines=tuple(OrderLineRequest(line.sku.strip(), line.qty) for line in self.lines),
            customer=Customer(**self.customer.model_dump()),
            ship_to=Address(**self.ship_to.model_dump()),
            payment_status=self.payment_status,
            priority=self.priority,
            requested_service=self.requested_service,
            promised_ship_date=self.promised_ship_date,
        )


class LineOut(BaseModel):
    line_no: int
    sku: str
    qty: int
    reserved: int
    picked: int
    packed: int


class OrderOut(BaseModel):
    """An order with its status and, per line, how much is reserved, picked and packed."""

    id: int
    reference: str
    channel: str
    external_id: str
    status: str
    hold_reason: str
    customer: CustomerIn
    ship_to: AddressIn
    payment_status: str
    priority: str
    requested_service: str
    promised_ship_date: date | None
    created_at: datetime
    updated_at: datetime
    lines: list[LineOut]


class OrderPage(BaseModel):
    """One page of orders; ask for the next with `offset=next_offset` (null on the last page)."""

    items: list[OrderOut]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class HoldIn(RequestBody):
    reason: str = Field("", max_length=500)


class CancelIn(RequestBody):
    reason: str = Field("", max_length=500)


class PaymentIn(RequestBody):
    payment_status: PaymentStatus


class OrderEventOut(BaseModel):
    id: int
    type: str
    from_status: str | None
    to_status: str | None
    message: str
    data: dict[str, Any]
    actor: str
    at: datetime
