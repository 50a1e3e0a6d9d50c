"""Floor operators: created or updated by badge, PINs stored as scrypt hashes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.server.access.auth import hash_pin
from app.server.access.models import Operator


def upsert_operator(
    session: Session, *, badge: str, name: str, roles: list[str], pin: str
) -> tuple[Operator, bool]:
    """Create the operator or update the one with this badge. Returns (operator, created)."""
    row = session.scalars(select(Operator).where(Operator.badge == badge).with_for_update()).first()
    created = row is None
    if row is None:
        row = Operator(badge=badge)
        session.add(row)
    row.name, row.roles, row.pin_hash, row.active = name, sorted(set(roles)), hash_pin(pin), True
    session.flush()
    return row, created
