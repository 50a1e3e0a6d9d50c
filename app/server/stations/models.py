"""Sync bookkeeping: stations, their replicas, every pushed event, and the station change log (docs/sync.md).

`Station.change_seq` is the gap-free counter behind a station's pull cursor (S7): it is only incremented while
the station row is locked, so change N commits before change N+1 can be written. `Counter` rows hold the
other counters that must be gap-free or strictly increasing (reference-data changes; lease tokens on SQLite).

Every ORM flush that adds or touches a Product, Location or Operator appends `ref_changes` rows numbered
under the locked `ref_changes` counter (the hook at the end of this module, so it is active wherever the
models are), so stations hear of catalogue and operator changes without the catalogue services knowing
about sync. Code that writes those tables with bulk Core statements calls `note_changes` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    insert,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.server.access.models import Operator
from app.server.catalogue.models import Location, Product
from app.server.db.base import Base, UtcDateTime, utcnow

#: 64-bit ids on PostgreSQL; SQLite needs INTEGER for an auto-incrementing rowid key
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class Station(Base):
    """A floor terminal bound to a station credential, with the sync health the supervisor watches (S13)."""

    __tablename__ = "stations"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    epoch: Mapped[str] = mapped_column(
        String(32)
    )  # part of every cursor: a new epoch invalidates old cursors
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    compacted_through: Mapped[int] = mapped_column(BigInteger, default=0)
    last_push_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_pull_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_cursor: Mapped[str] = mapped_column(String(100), default="")
    outbox_depth: Mapped[int] = mapped_column(default=0)
    oldest_unacked_age_s: Mapped[float | None] = mapped_column(nullable=True)
    db_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # its database file, as reported
    app_version: Mapped[str] = mapped_column(String(64), default="")
    clock_offset_s: Mapped[float | None] = mapped_column(nullable=True)
    current_operator: Mapped[str] = mapped_column(String(64), default="")
    current_order: Mapped[str] = mapped_column(String(64), default="")
    wrong_item_streak: Mapped[int] = mapped_column(default=0)


class Replica(Base):
    """One station database file; `last_seq` is the watermark of its applied events (S1, S2)."""

    __tablename__ = "replicas"

    replica_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.station_id"), index=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SyncEvent(Base):
    """One pushed event as received, with the outcome the server gave it; never updated."""

    __tablename__ = "sync_events"
    __table_args__ = (UniqueConstraint("replica_id", "seq"), UniqueConstraint("event_id"))

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    replica_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[str] = mapped_column(String(64))
    station_id: Mapped[str] = mapped_column(String(64))  # not indexed: written 10,000 times a second
    type: Mapped[str] = mapped_column(String(64))
    v: Mapped[int]
    lease_line_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_token: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_wall: Mapped[float]
    sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StationChange(Base):
    """One entry of a station's pull log, numbered 1, 2, 3 … without gaps per station (S7)."""

    __tablename__ = "station_changes"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    change_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RefChange(Base):
    """A product, location or operator that changed; `id` comes from the gap-free `ref_changes` counter."""

    __tablename__ = "ref_changes"
    __table_args__ = (Index("ix_ref_changes_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))  # product | location | operator
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Counter(Base):
    """A named counter, incremented only while its row is locked."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ServerIdentity(Base):
    """This server database's identity: one row (id 1), a random `server_id` made with the database (or at
    the upgrade that added it). Register and pull answers carry it; a station database belongs to the first
    server it heard it from (docs/sync.md, "Identities")."""

    __tablename__ = "server_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def note_changes(session: Session, changes: Iterable[tuple[str, str]]) -> None:
    """Log (kind, key) reference changes, numbered under the `ref_changes` counter row (locked to COMMIT)."""
    rows = sorted(set(changes))
    if not rows:
        return
    top = session.execute(
        update(Counter)
        .where(Counter.name == "ref_changes")
        .values(value=Counter.value + len(rows))
        .returning(Counter.value)
        .execution_options(synchronize_session=False)
    ).scalar()
    if top is None:
        raise RuntimeError("counters row 'ref_changes' is missing: run `aisle server migrate`")
    first, now = top - len(rows) + 1, utcnow()
    session.execute(
        insert(RefChange),
        [{"id": first + i, "kind": kind, "key": key, "at": now} for i, (kind, key) in enumerate(rows)],
    )


_REF_KEYS: dict[type, tuple[str, str]] = {
    Product: ("product", "sku"),
    Location: ("location", "code"),
    Operator: ("operator", "badge"),
}


@event.listens_for(Session, "before_flush")
def _log_reference_changes(session: Session, _ctx: object, _instances: object) -> None:
    found = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        spec = _REF_KEYS.get(type(obj))
        if spec is not None and getattr(obj, spec[1], None):
            found.append((spec[0], str(getattr(obj, spec[1]))))
    if found:
        note_changes(session, found)
