"""room for HOT updates on PostgreSQL: the rows a push changes in place (order lines, stock slots,
reservations, work lines, orders) keep a fifth of each page free, so an update whose columns are in no index
(picked, reserved, on_hand, qty) writes the new row version beside the old one and no index entry at all

Takes effect for pages written from now on (a table rewrite, e.g. VACUUM FULL, applies it to old pages).
SQLite has no such setting: nothing to do there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("order_lines", "stock_items", "stock_reservations", "work_lines", "orders")
FILLFACTOR = 80


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
