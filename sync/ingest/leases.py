"""Leases with fencing tokens (docs/sync.md S8, S9): grant, renew, revoke, and who may pick a line now.

Tokens come from one strictly increasing source: the PostgreSQL sequence `lease_token_seq`, or on SQLite the
`lease_token` counter row (the write transaction began with BEGIN IMMEDIATE, so nobody else is writing).
A line is reassigned only after `expires_at + grace` on the server clock, or by a supervisor's revoke; every
grant, transfer and revoke gives the line a new token, so a pick carrying an old token is recognisable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.domain.work import LineStatus
from app.server.errors import ApiError, not_found
from app.server.stations.models import Counter
from app.server.stations.registry import append_changes
from app.server.work.models import WorkLine, WorkUnit
from sync import schemas as w

#: an open work line, as the rows hold it
OPEN = LineStatus.OPEN.value


def at(epoch_s: float) -> datetime:
    """A server-clock instant (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(epoch_s, UTC)


def next_tokens(session: Session, n: int) -> list[int]:
    """`n` new fencing tokens, each larger than every token handed out before."""
    if n <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval('lease_token_seq') FROM generate_series(1, :n)"), {"n": n}
        )
        return sorted(int(r[0]) for r in rows)
    top = session.execute(
        update(Counter)
        .where(Counter.name == "lease_token")
        .values(value=Counter.value + n)
        .returning(Counter.value)
    ).scalar_one()
    return list(range(top - n + 1, top + 1))


def claimable(line: WorkLine, now: float, grace_s: float) -> bool:
    """An open line nobody holds, or whose holder's lease ran out more than `grace_s` ago."""
    if line.status != OPEN:
        return False
    if line.holder is None:
        return True
    return line.expires_at is None or line.expires_at.timestamp() + grace_s < now


def is_current(line: WorkLine, station_id: str, token: int) -> bool:
    """True when `station_id` holds the line under exactly this token (the fencing check)."""
    return line.holder == station_id and line.lease_token == token


def grant(
    session: Session, lines: Sequence[WorkLine], station_id: str, now: float, lease_s: float
) -> list[tuple[str, dict[str, Any]]]:
    """Give `lines` (locked by the caller) to `station_id` with new tokens.

    Returns the lease.revoked changes owed to previous holders whose expired leases were transferred.
    """
    revoked: list[tuple[str, dict[str, Any]]] = []
    tokens = next_tokens(session, len(lines))
    for line, token in zip(lines, tokens, strict=True):
        if line.holder is not None and line.holder != station_id and line.lease_token is not None:
            msg = w.LeaseRevoked(line_id=str(line.id), token=line.lease_token, reason="expired; reassigned")
            revoked.append((line.holder, msg.model_dump()))
        line.holder, line.lease_token = station_id, token
        line.leased_at, line.expires_at, line.revoked_at = at(now), at(now + lease_s), None
    return revoked


def notify_revoked(session: Session, revoked: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Append lease.revoked changes to the logs of the stations that lost lines."""
    by_station: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for station_id, payload in revoked:
        by_station.setdefault(station_id, []).append(("lease.revoked", payload))
    for station_id in sorted(by_station):
        append_changes(session, station_id, by_station[station_id])


def renew(session: Session, station_id: str, now: float, lease_s: float) -> list[WorkLine]:
    """Extend every open line the station holds to `now + lease_s` (on every pull, S9); returns them."""
    session.execute(
        update(WorkLine)
        .where(WorkLine.holder == station_id, WorkLine.status == OPEN)
        .values(expires_at=at(now + lease_s))
        .execution_options(synchronize_session=False)
    )
    return list(
        session.scalars(
            select(WorkLine)
            .where(WorkLine.holder == station_id, WorkLine.status == OPEN)
            .order_by(WorkLine.id)
        )
    )


def revoke(session: Session, lines: Sequence[WorkLine], reason: str, now: float) -> int:
    """Take held lines back (supervisor): a new token fences the old holder out; returns how many."""
    held = [ln for ln in lines if ln.holder is not None and ln.status == OPEN]
    owed = [
        (ln.holder, w.LeaseRevoked(line_id=str(ln.id), token=ln.lease_token or 0, reason=reason).model_dump())
        for ln in held
        if ln.holder is not None
    ]
    for line, token in zip(held, next_tokens(session, len(held)), strict=True):
        line.holder, line.lease_token, line.expires_at = None, token, None
        line.revoked_at, line.revoked_reason = at(now), reason[:200]
    notify_revoked(session, owed)
    return len(held)


def lock_unit(session: Session, work_id: int) -> tuple[WorkUnit, list[WorkLine]]:
    """A work unit and its lines, locked (the unit row first: every lease change goes through it)."""
    unit = session.scalars(select(WorkUnit).where(WorkUnit.id == work_id).with_for_update()).first()
    if unit is None:
        raise not_found("Work unit", work_id, "List work with GET /api/v1/work.")
    lines = session.scalars(
        select(WorkLine).where(WorkLine.work_id == work_id).order_by(WorkLine.id).with_for_update()
    ).all()
    return unit, list(lines)


def revoke_line(session: Session, line_id: int, reason: str, now: float) -> WorkLine:
    """Revoke the lease on one line (404 when unknown, 409 when nobody holds it)."""
    line = session.get(WorkLine, line_id)
    if line is None:
        raise not_found("Lease (work line)", line_id, "List held lines with GET /api/v1/work?held=true.")
    _unit, lines = lock_unit(session, line.work_id)
    line = next(ln for ln in lines if ln.id == line_id)
    if line.holder is None or line.status != OPEN:
        raise ApiError(409, "not_held", f"Line {line_id} is not held by any station (status {line.status}).")
    revoke(session, [line], reason, now)
    return line
