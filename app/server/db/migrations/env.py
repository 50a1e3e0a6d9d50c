"""Alembic environment for the server schema; run through app.server.db.migrate (`aisle server migrate`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from app.server.db.base import Base, UtcDateTime
from app.server.db.database import make_engine

#: arbitrary constant: the advisory lock key that serialises migrations across server processes
MIGRATION_LOCK_KEY = 4_711_2002

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes UtcDateTime as plain sa.DateTime(timezone=True) (same column, no import)."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                render_item=render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `aisle server migrate`.")
run_migrations_online()
