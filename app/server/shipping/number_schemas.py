"""Bodies of /numbers: block leases for stations, numbers the server issues, voids, and the ranges."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sync.bodies import RequestBody


class BlockLeaseIn(RequestBody):
    """A station asks for a block of numbers for its replica (its database); `size` None: [shipping]
    block_size."""

    model_config = ConfigDict(extra="forbid")

    station_id: str = Field(max_length=64)
    replica_id: str = Field(max_length=64)
    size: int | None = Field(None, ge=1, le=100_000)


class BlockOut(BaseModel):
    """Serials `first` … `last` of range `kind`, and what the station needs to print them offline: the
    scheme and its parameters (app.domain.shipping.schemes.make_scheme) and the first and last numbers."""

    block_id: int
    kind: str
    holder: str
    state: str
    scheme: str
    params: dict[str, Any]
    first: int
    last: int
    first_number: str
    last_number: str


class IssueIn(RequestBody):
    """A number for a label the server makes; `parcel_ref` says which parcel it went to."""

    model_config = ConfigDict(extra="forbid")

    parcel_ref: str = Field("", max_length=64)


class IssuedOut(BaseModel):
    kind: str
    number: str
    serial: int
    parcel_ref: str
    state: str


class VoidIn(RequestBody):
    """Void `number` (as printed): it is dead and never issued again."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(max_length=40)
    reason: str = Field("", max_length=200)


class RangeOut(BaseModel):
    kind: str
    scheme: str
    params: dict[str, Any]
    first: int
    last: int
    next: int
    open_blocks: int


class RangesOut(BaseModel):
    ranges: list[RangeOut]
