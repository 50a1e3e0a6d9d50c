"""The server this database belongs to, and whether its reference data was ever loaded.

`server_id` is stored on the first register or pull answer that carries one; an answer from another server
sets the database aside (app.station.store.set_aside). `reference_loaded` is set by the first pull applied,
so a badge the station does not know yet is "still loading", not "unknown"; `first_pull_wall` is when the
station first tried to pull (how long it has been loading). A database that already pulled has its
reference data: it is marked loaded here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("server_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("reference_loaded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("first_pull_wall", sa.Float(), nullable=True))
    op.execute("UPDATE sync_state SET reference_loaded = 1 WHERE cursor IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("first_pull_wall")
        batch_op.drop_column("reference_loaded")
        batch_op.drop_column("server_id")
