"""Who may use the server: API tokens (hashed, with a role) and floor operators (badge and hashed PIN)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.server.db.base import Base, Timestamped, UtcDateTime


class ApiToken(Timestamped, Base):
    """A bearer token: only its SHA-256 is stored; `role` decides what it may do."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Operator(Timestamped, Base):
    """A person on the floor, identified by the badge they scan; the PIN is stored as a salted scrypt hash."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    badge: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
