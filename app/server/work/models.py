"""Work on the floor: work units, their lines with leases, count tasks and the supervisor's exception queue.

A work line is one pick: `qty` of a SKU from one stock slot (an order line reserved across two slots becomes
two lines). At most one station holds a line at a time; `lease_token` is the fencing token of the current
grant and changes on every grant, transfer and revoke (docs/sync.md S8).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.work import CountTaskStatus, LineStatus, WorkUnitStatus
from app.server.db.base import Base, Timestamped, UtcDateTime


class WorkUnit(Timestamped, Base):
    """A single order, or a cluster batch of small orders (one tote per order), released together."""

    __tablename__ = "work_units"
    __table_args__ = (Index("ix_work_units_status_priority", "status", "priority_rank", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # single | cluster
    priority_rank: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=WorkUnitStatus.OPEN.value)
    station_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # last holder
    operator: Mapped[str] = mapped_column(String(64), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class WorkOrder(Base):
    """An order in a work unit, and the tote it was picked into."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work_units.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tote: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    closed: Mapped[bool] = mapped_column(default=False)


class WorkLine(Base):
    """One pick in walking order, and who may pick it now (holder, token, server-clock expiry)."""

    __tablename__ = "work_lines"
    __table_args__ = (Index("ix_work_lines_holder_status", "holder", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work_units.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    stock_item_id: Mapped[int | None] = mapped_column(ForeignKey("stock_items.id"), nullable=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(64))
    lot: Mapped[str] = mapped_column(String(64), default="")
    qty: Mapped[int]
    picked: Mapped[int] = mapped_column(default=0)
    sequence: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=LineStatus.OPEN.value)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_token: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    leased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_reason: Mapped[str] = mapped_column(String(200), default="")


class CountTask(Timestamped, Base):
    """Count this location (for this SKU): created by a short pick so stock can be corrected."""

    __tablename__ = "count_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[str] = mapped_column(String(64), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str] = mapped_column(String(64), default="")
    operator: Mapped[str] = mapped_column(String(64), default="")
    event_id: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default=CountTaskStatus.OPEN.value)


class FloorException(Timestamped, Base):
    """Something a supervisor should look at: a short, a wrong-item streak, a weight mismatch, a conflict."""

    __tablename__ = "floor_exceptions"
    __table_args__ = (Index("ix_floor_exceptions_open", "acknowledged", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    operator: Mapped[str] = mapped_column(String(64), default="")
    order_id: Mapped[int | None] = mapped_column(nullable=True)
    line_id: Mapped[int | None] = mapped_column(nullable=True)
    message: Mapped[str] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    acknowledged: Mapped[bool] = mapped_column(default=False)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acknowledged_by: Mapped[str] = mapped_column(String(100), default="")
