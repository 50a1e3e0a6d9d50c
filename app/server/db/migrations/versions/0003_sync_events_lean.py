"""sync_events without the station_id index: written for every pushed event, read by nothing that needs it
(the supervisor's count of received events per station is the sum of its replicas' last_seq, I3)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 18:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_events_station_id")


def downgrade() -> None:
    with op.batch_alter_table("sync_events", schema=None) as batch_op:
        batch_op.create_index("ix_sync_events_station_id", ["station_id"], unique=False)
