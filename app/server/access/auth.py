"""Bearer tokens with roles, and operator PINs.

API tokens are 256-bit random strings, so a single SHA-256 is the right hash (slow password hashes protect
guessable secrets; these are not guessable) and verification costs one indexed lookup, cached briefly.
PINs are short and guessable: they get a salted scrypt hash.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import pins
from app.server.access.models import ApiToken

TOKEN_PREFIX = "aisle_"


class Role(StrEnum):
    """What a token may do: admin everything; integration feeds orders, products and stock; station syncs;
    supervisor watches and manages orders and stock."""

    ADMIN = "admin"
    INTEGRATION = "integration"
    STATION = "station"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's id, name and role."""

    token_id: int
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How this caller appears in histories: role:name (or role:#id)."""
        return f"{self.role.value}:{self.name or f'#{self.token_id}'}"


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(session: Session, role: Role | str, name: str = "") -> str:
    """Store a new token with `role` and return it; this is the only time the token itself is known."""
    token = new_token()
    session.add(ApiToken(name=name, role=Role(role).value, token_hash=hash_token(token)))
    session.flush()
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first (only hashes are stored; nothing here can be used to authenticate)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, ref: str) -> ApiToken:
    """Revoke the token with id `ref`, or the token whose value is `ref`; KeyError when there is none.

    Revoking a revoked token keeps its first revocation time.
    """
    stmt = select(ApiToken).with_for_update()
    if ref.isdigit() and ref.isascii() and len(ref) <= 18:  # an id; a longer number is no id we made
        stmt = stmt.where(ApiToken.id == int(ref))
    else:
        stmt = stmt.where(ApiToken.token_hash == hash_token(ref.strip()))
    row = session.scalars(stmt).first()
    if row is None:
        raise KeyError(ref)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
    return row


class TokenVerifier:
    """Finds the principal for a bearer token, caching hits for `ttl` seconds: a revoked token is refused at
    most `ttl` seconds after its revocation committed (0: every call asks the database)."""

    def __init__(self, ttl: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> Principal | None:
        """The principal for `token` if it was verified less than `ttl` seconds ago (no database access)."""
        hit = self._cache.get(hash_token(token))
        return hit[1] if hit and hit[0] > self._clock() else None

    def verify(self, session: Session, token: str) -> Principal | None:
        """The principal for `token`, or None when it is unknown or revoked."""
        digest = hash_token(token)
        now = self._clock()
        hit = self._cache.get(digest)
        if hit and hit[0] > now:
            return hit[1]
        row = session.execute(
            select(ApiToken.id, ApiToken.name, ApiToken.role).where(
                ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)
            )
        ).first()
        if row is None:
            return None
        principal = Principal(row.id, row.name, Role(row.role))
        if self.ttl <= 0:
            return principal
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            # the clock is read before the query: the hit never outlives `ttl` after what the database said
            self._cache[digest] = (now + self.ttl, principal)
        return principal


# PINs are hashed by the rule stations check them with offline (app.domain.pins).
hash_pin = pins.hash_pin
verify_pin = pins.pin_matches
