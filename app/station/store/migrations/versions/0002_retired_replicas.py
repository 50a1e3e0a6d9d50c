"""Retired replicas: a restored station database re-keys and keeps what it was (sync.rekey).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retired_replicas",
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("created_wall", sa.Float(), nullable=False),
        sa.Column("retired_wall", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("acked_through", sa.Integer(), nullable=False),
        sa.Column("resent", sa.Integer(), nullable=False),
        sa.Column("successor", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_retired_replicas")),
    )
    with op.batch_alter_table("retired_replicas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retired_replicas_successor"), ["successor"], unique=False)

    op.create_table(
        "retired_outbox",
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("v", sa.Integer(), nullable=False),
        sa.Column("lease_line_id", sa.String(), nullable=True),
        sa.Column("lease_token", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_wall", sa.Float(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("acked", sa.Boolean(), nullable=False),
        sa.Column("acked_at", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("new_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("replica_id", "seq", name=op.f("pk_retired_outbox")),
    )
    with op.batch_alter_table("retired_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retired_outbox_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retired_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retired_outbox_event_id"))

    op.drop_table("retired_outbox")
    with op.batch_alter_table("retired_replicas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retired_replicas_successor"))

    op.drop_table("retired_replicas")
