"""Bodies of the work, lease, station and exception endpoints (the supervisor's side of docs/sync.md S13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.orders import Priority
from sync.bodies import RequestBody


class ReleaseIn(RequestBody):
    """Release accepted orders to the floor: the oldest of the highest priority first, or the ones named."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(500, ge=1, le=5000)
    order_ids: list[int] | None = None


class ReleasedUnit(BaseModel):
    work_id: int
    kind: str
    orders: list[int]


class ReleaseOut(BaseModel):
    released: int
    work_units: list[ReleasedUnit]


class RevokeIn(RequestBody):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("revoked by a supervisor", max_length=200)


class PriorityIn(RequestBody):
    model_config = ConfigDict(extra="forbid")

    priority: Priority


class WorkLineOut(BaseModel):
    line_id: int
    order_id: int
    sku: str
    location: str
    lot: str
    qty: int
    picked: int
    sequence: int
    status: str
    holder: str | None
    holder_online: bool | None = None
    lease_token: int | None
    leased_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str


class WorkUnitOut(BaseModel):
    work_id: int
    kind: str
    status: str
    priority_rank: int
    station_id: str | None
    operator: str
    claimed_at: datetime | None
    orders: list[int]
    lines: list[WorkLineOut]


class PackRevokeOut(BaseModel):
    """The stations whose hold on the order was revoked."""

    order_id: int
    stations: list[str]


class RevokeOut(BaseModel):
    revoked: int
    lines: list[WorkLineOut]


class StationOut(BaseModel):
    """A station's sync health and what it is doing (S13)."""

    station_id: str
    online: bool
    last_contact_at: datetime | None
    last_push_at: datetime | None
    last_pull_at: datetime | None
    cursor: str
    replica_id: str | None
    last_seq: int
    acked_events: int
    outbox_depth: int
    oldest_unacked_age_s: float | None
    db_bytes: int | None = None  # the station's database file as it last reported it (None: not yet)
    app_version: str
    clock_offset_s: float | None
    open_conflicts: int
    open_exceptions: int
    current_operator: str
    current_order: str
    held_lines: int
    held_since: datetime | None
    lease_expires_at: datetime | None


class StationsOut(BaseModel):
    stations: list[StationOut]
    open_work_units: int
    server_now: datetime


class ExceptionOut(BaseModel):
    id: int
    kind: str
    station_id: str
    operator: str
    order_id: int | None
    line_id: int | None
    message: str
    data: dict[str, Any]
    created_at: datetime
    acknowledged: bool
    acknowledged_at: datetime | None
    acknowledged_by: str


class ExceptionPage(BaseModel):
    items: list[ExceptionOut]
    open_total: int
