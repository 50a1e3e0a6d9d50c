"""Configured number ranges, stored: `configure_ranges` writes [shipping]'s ranges to `number_ranges` once
and lets a range grow later; it never changes a range's scheme and never moves its counter back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.shipping.identifiers import NumberScheme
from app.domain.shipping.schemes import RangeSpec, make_scheme
from app.server.db.base import utcnow
from app.server.db.database import Database
from app.server.db.tx import run_write
from app.server.errors import ApiError
from app.server.shipping.models import NumberRange


class RangeConflict(RuntimeError):
    """A configured range contradicts the stored one (another scheme, or a LAST below what was handed out)."""


def configure_range(session: Session, spec: RangeSpec) -> NumberRange:
    """Store `spec` as a new range, or grow the stored one to `spec.last`; RangeConflict otherwise."""
    row = session.scalars(select(NumberRange).where(NumberRange.kind == spec.kind).with_for_update()).first()
    if row is None:
        row = NumberRange(
            kind=spec.kind, scheme=spec.scheme, params=dict(spec.params), first=spec.first, last=spec.last,
            next=spec.first, created_at=utcnow(),
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row
    if (row.scheme, row.params) != (spec.scheme, spec.params):
        raise RangeConflict(
            f"number range {spec.kind} is stored as {row.scheme} {row.params}, configured as {spec.scheme} "
            f"{spec.params}: a range never changes its scheme (give the new one another carrier name)"
        )
    if spec.last < row.next - 1:
        raise RangeConflict(
            f"number range {spec.kind}: serials up to {row.next - 1} were handed out already, so its last "
            f"serial cannot be {spec.last}"
        )
    row.last = spec.last
    return row


def configure_ranges(db: Database, specs: Sequence[RangeSpec]) -> None:
    """Store every configured range (at server start; two servers starting at once both succeed)."""
    if not specs:
        return

    def work(session: Session) -> None:
        for spec in specs:
            configure_range(session, spec)

    run_write(db, work, retry_integrity=True)


def load_range(session: Session, kind: str, *, lock: bool = False) -> NumberRange:
    """The stored range `kind` (row-locked to COMMIT when `lock`); 404 unknown_number_range."""
    stmt = select(NumberRange).where(NumberRange.kind == kind)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = session.scalars(stmt).first()
    if row is None:
        raise ApiError(
            404,
            "unknown_number_range",
            f"There is no number range {kind!r}: configure it in [shipping] (company_prefix for SSCCs, "
            "tracking_ranges for generic carriers) and restart the server.",
            kind=kind,
        )
    return row


def scheme_of(row: NumberRange) -> NumberScheme:
    """The scheme a stored range prints its numbers with."""
    return make_scheme(row.scheme, row.params)
