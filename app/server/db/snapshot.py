"""Transactions that must read one consistent snapshot (pull, S6).

PostgreSQL: REPEATABLE READ, retried on serialization failures like any other transient error. SQLite: the
write transaction (BEGIN IMMEDIATE) already sees one snapshot and excludes every other writer.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.server.db.database import Database
from app.server.db.tx import is_transient, run_write

T = TypeVar("T")


def run_snapshot(db: Database, work: Callable[[Session], T], *, attempts: int = 5) -> T:
    """Run `work` in one snapshot transaction that may also write (lease renewals)."""
    if not db.is_postgres:
        return run_write(db, work, attempts=attempts)
    engine = db.engine.execution_options(isolation_level="REPEATABLE READ")
    for attempt in range(1, attempts + 1):
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                return work(session)
        except DBAPIError as exc:
            if not is_transient(exc) or attempt == attempts:
                raise
        time.sleep(random.uniform(0, 0.01 * attempt))
    raise AssertionError("unreachable")
