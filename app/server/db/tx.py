"""Write transactions that retry when the database asks for it (deadlock, serialisation failure, busy)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.server.db.database import Database

T = TypeVar("T")

#: PostgreSQL SQLSTATEs that mean "try again": serialization_failure, deadlock_detected
_RETRY_SQLSTATES = {"40001", "40P01"}


def is_transient(exc: DBAPIError) -> bool:
    """True for errors that a fresh attempt of the same transaction can get past."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    return "database is locked" in str(exc.orig)


def run_write(
    db: Database, work: Callable[[Session], T], *, attempts: int = 5, retry_integrity: bool = False
) -> T:
    """Run `work` in a write transaction, retrying transient failures (and unique-key races if asked)."""
    for attempt in range(1, attempts + 1):
        committing = False
        try:
            with db.session_scope(write=True) as session:
                result = work(session)
                committing = True
            return result
        except IntegrityError:
            if not retry_integrity or attempt == attempts:
                raise
        except DBAPIError as exc:
            # A connection that broke before COMMIT was sent lost nothing: try again on a fresh one. One that
            # broke during COMMIT may or may not have committed, so that is not retried.
            lost_connection = exc.connection_invalidated and not committing
            if not (lost_connection or is_transient(exc)) or attempt == attempts:
                raise
        time.sleep(random.uniform(0, 0.01 * attempt))
    raise AssertionError("unreachable")
