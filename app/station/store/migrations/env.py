"""Alembic environment for the station database; run by app.station.store.db.migrate with a connection."""

from __future__ import annotations

from alembic import context

from app.station.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run station migrations through app.station.store.db.migrate(engine)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
