"""The server's Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL, and
step down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext

from app.server.db.base import Base
from app.server.db.database import Database
from app.server.db.migrate import alembic_config, current_revision, upgrade


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def test_migrated_schema_equals_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        upgrade(db)
        assert _differences(db) == []
    finally:
        db.dispose()


def test_the_newest_migration_steps_down_and_up_again(db_url: str) -> None:
    db = Database(db_url)
    try:
        upgrade(db)
        head = current_revision(db)
        downgrade(alembic_config(db), "-1")
        assert current_revision(db) != head
        upgrade(db)
        assert current_revision(db) == head and _differences(db) == []
    finally:
        db.dispose()
