"""number ranges, the blocks leased from them and the numbers issued (SSCC-18 and generic carriers' tracking
numbers; app/server/shipping/models.py says why none is issued twice).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "number_ranges",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("next", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_number_ranges")),
    )
    op.create_table(
        "number_blocks",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("range_kind", sa.String(length=64), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("next", sa.BigInteger(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("leased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["range_kind"], ["number_ranges.kind"], name=op.f("fk_number_blocks_range_kind_number_ranges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
    )
    op.create_index("ix_number_blocks_holder_state", "number_blocks", ["holder", "state"], unique=False)
    op.create_index(op.f("ix_number_blocks_range_kind"), "number_blocks", ["range_kind"], unique=False)
    op.create_table(
        "issued_numbers",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=40), nullable=False),
        sa.Column("parcel_ref", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("block_id", BIG_ID, nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"], ["number_blocks.id"], name=op.f("fk_issued_numbers_block_id_number_blocks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_numbers")),
        sa.UniqueConstraint("kind", "number", name=op.f("uq_issued_numbers_kind_number")),
    )


def downgrade() -> None:
    op.drop_table("issued_numbers")
    op.drop_index(op.f("ix_number_blocks_range_kind"), table_name="number_blocks")
    op.drop_index("ix_number_blocks_holder_state", table_name="number_blocks")
    op.drop_table("number_blocks")
    op.drop_table("number_ranges")
