"""Batched writes for the push path: PostgreSQL gets COPY, SQLite an executemany.

COPY streams every row in one round trip with no per-row statement; on a 500-event push that is the
difference between a few milliseconds and tens (measured in tests/bench/bench_sync.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table` (a Table or a mapped class)."""
    if not rows:
        return
    t: Table = getattr(table, "__table__", table)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(t.insert(), list(rows))
        return
    cols = list(rows[0])
    as_json = {c for c in cols if isinstance(t.c[c].type, JSON)}
    names = ", ".join(f'"{c}"' for c in cols)
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{t.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in cols])
