"""Blocks and numbers: lease a block to a replica, issue a number on the server, void one, abandon the
blocks of a re-keyed replica. Every function runs inside a write transaction (`run_write`): the range's row
lock (FOR UPDATE on PostgreSQL; SQLite's one writer, BEGIN IMMEDIATE) is what keeps blocks apart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from app.server.db.base import utcnow
from app.server.errors import ApiError
from app.server.shipping.models import (
    ABANDONED,
    EXHAUSTED,
    ISSUED,
    OPEN,
    SERVER,
    VOID,
    IssuedNumber,
    NumberBlock,
)
from app.server.shipping.ranges import load_range, scheme_of


def lease_block(session: Session, kind: str, holder: str, size: int) -> NumberBlock:
    """Cut the next `size` serials (fewer when the range is nearly used up) of `kind` as a block for `holder`
    (a replica id, or SERVER). 409 range_exhausted when none is left; 409 replica_retired for a replica
    whose blocks were abandoned (it re-keyed: its database was restored from a copy)."""
    if size < 1:
        raise ValueError("a block holds at least one number")
    if holder != SERVER and session.scalar(
        select(exists().where(NumberBlock.holder == holder, NumberBlock.state == ABANDONED))
    ):
        raise ApiError(
            409,
            "replica_retired",
            f"Replica {holder} was retired (its station re-keyed) and its number blocks abandoned; the "
            "station's new replica leases its own blocks.",
            replica_id=holder,
        )
    rng = load_range(session, kind, lock=True)  # held to COMMIT: the next lease of `kind` waits for this one
    left = rng.last - rng.next + 1
    if left <= 0:
        raise ApiError(
            409,
            "range_exhausted",
            f"Number range {kind} is used up (last serial {rng.last}): raise its LAST in [shipping] or "
            "configure a new range.",
            kind=kind,
        )
    take = min(size, left)
    block = NumberBlock(
        range_kind=kind, first=rng.next, last=rng.next + take - 1, next=rng.next, holder=holder, state=OPEN,
        leased_at=utcnow(),
    )  # fmt: skip
    rng.next += take
    session.add(block)
    session.flush()
    return block


def _server_block(session: Session, kind: str) -> NumberBlock | None:
    """The server's oldest open block of `kind`, row-locked (two server processes take turns on it)."""
    return session.scalars(
        select(NumberBlock)
        .where(NumberBlock.range_kind == kind, NumberBlock.holder == SERVER, NumberBlock.state == OPEN)
        .order_by(NumberBlock.id)
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def issue_from_server(
    session: Session, kind: str, *, parcel_ref: str = "", block_size: int = 100
) -> IssuedNumber:
    """The next number of `kind` for a label the server makes, from the server's own block (a new block of
    `block_size` when it has none open), recorded as issued."""
    now = utcnow()
    block = _server_block(session, kind) or lease_block(session, kind, SERVER, block_size)
    serial = block.next
    block.next += 1
    if block.next > block.last:
        block.state, block.closed_at = EXHAUSTED, now
    scheme = scheme_of(load_range(session, kind))
    issued = IssuedNumber(
        kind=kind, number=serial, text=scheme.issue(serial), parcel_ref=parcel_ref, state=ISSUED,
        block_id=block.id, issued_at=now, void_reason="",
    )  # fmt: skip
    session.add(issued)
    session.flush()  # (kind, number) is unique: a second issue would fail here, loudly
    return issued


def void(session: Session, kind: str, text: str, reason: str = "") -> IssuedNumber:
    """Mark the number `text` of `kind` dead (its label was voided): it is never issued again. A number
    a station issued from its block that the server has not heard of yet is recorded void now; one that
    was never handed out is refused (409 not_issued), since a block leased later could still contain it."""
    rng = load_range(session, kind)
    try:
        serial = scheme_of(rng).serial_of(text)
    except ValueError as exc:
        raise ApiError(422, "not_a_number_of_this_range", f"{exc} (range {kind}).", kind=kind) from None
    row = session.scalars(
        select(IssuedNumber).where(IssuedNumber.kind == kind, IssuedNumber.number == serial).with_for_update()
    ).first()
    now = utcnow()
    if row is None:
        block = session.scalars(
            select(NumberBlock).where(
                NumberBlock.range_kind == kind, NumberBlock.first <= serial, NumberBlock.last >= serial
            )
        ).first()
        if block is None:
            raise ApiError(
                409, "not_issued", f"{text} was never handed out in range {kind}: nothing to void.", kind=kind
            )
        row = IssuedNumber(
            kind=kind, number=serial, text=text, parcel_ref="", state=VOID, block_id=block.id, issued_at=now,
        )  # fmt: skip
        session.add(row)
    if row.state != VOID or row.voided_at is None:
        row.state, row.voided_at, row.void_reason = VOID, now, reason[:200]
    session.flush()
    return row


def abandon_blocks(session: Session, replica_id: str, now: datetime | None = None) -> int:
    """Abandon every open block of a retired replica (it re-keyed): none of their unused numbers is ever
    issued, since ranges only move forward and a new lease is cut after them. Returns how many."""
    abandoned = session.scalars(
        update(NumberBlock)
        .where(NumberBlock.holder == replica_id, NumberBlock.state == OPEN)
        .values(state=ABANDONED, closed_at=now or utcnow())
        .returning(NumberBlock.id)
        .execution_options(synchronize_session=False)
    ).all()
    return len(abandoned)
