"""Number ranges, blocks and issued numbers: why no SSCC or tracking number is ever issued twice.

A `NumberRange` is one kind of number (the SSCCs of a company prefix, one generic carrier's tracking numbers
in one scheme) with `next`, the first serial nobody has had yet; it only moves forward, and only while its
row is locked (FOR UPDATE on PostgreSQL, the one writer on SQLite). A `NumberBlock` is `first` … `last` of
a range leased to a replica (a station database) or to the server itself: blocks never overlap because each
is cut from `next` under that lock. `IssuedNumber` is a number the server knows was used, issued or void
(dead: never issued again); `(kind, number)` is unique, so the database itself refuses a second issue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.server.db.base import Base, UtcDateTime, utcnow
from app.server.stations.models import BIG_ID

#: block states: open (numbers may be used), exhausted (all used), abandoned (its replica re-keyed)
OPEN, EXHAUSTED, ABANDONED = "open", "exhausted", "abandoned"
#: issued-number states: issued, or void (dead: the label was voided; the number is never issued again)
ISSUED, VOID = "issued", "void"
#: the holder of the blocks the server takes for the labels it makes itself
SERVER = "server"


class NumberRange(Base):
    """One kind of number and its counter; `params` are the scheme's (app.domain.shipping.schemes)."""

    __tablename__ = "number_ranges"

    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)
    next: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NumberBlock(Base):
    """Serials `first` … `last` of a range, leased to `holder` (a replica id, or "server"). `next` is the
    next serial the server issues from its own blocks (a station keeps its own position)."""

    __tablename__ = "number_blocks"
    __table_args__ = (Index("ix_number_blocks_holder_state", "holder", "state"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    range_kind: Mapped[str] = mapped_column(ForeignKey("number_ranges.kind"), index=True)
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)
    next: Mapped[int] = mapped_column(BigInteger)
    holder: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    leased_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class IssuedNumber(Base):
    """A number that was used: `text` as printed, for `parcel_ref`; void numbers are dead."""

    __tablename__ = "issued_numbers"
    __table_args__ = (UniqueConstraint("kind", "number"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(40))
    parcel_ref: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default=ISSUED)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("number_blocks.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    void_reason: Mapped[str] = mapped_column(String(200), default="")
