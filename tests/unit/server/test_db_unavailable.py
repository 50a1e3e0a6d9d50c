"""Which database errors mean "out of reach, retry" (503 database_unavailable) and which are bugs (500).

A restart, a crash or a lost connection must not look like a server bug to a station; a bad statement or
bad data (a poison event) must not look like an outage, or it would be retried as if the database were down.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy import exc as sa

from app.server.db.database import is_unavailable


def _wrap(cls: type[sa.DBAPIError], orig: Exception, *, invalidated: bool = False) -> sa.DBAPIError:
    return cls("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        _wrap(sa.OperationalError, psycopg.OperationalError("connection failed: Connection refused")),
        _wrap(sa.OperationalError, pg.AdminShutdown("terminating connection due to administrator command")),
        _wrap(sa.OperationalError, pg.CannotConnectNow("the database system is starting up")),
        _wrap(sa.OperationalError, pg.TooManyConnections("sorry, too many clients already")),
        _wrap(sa.InterfaceError, psycopg.InterfaceError("the connection is closed")),
        _wrap(sa.DBAPIError, psycopg.Error("server closed the connection unexpectedly"), invalidated=True),
        _wrap(sa.OperationalError, sqlite3.OperationalError("database is locked")),
        sa.TimeoutError("QueuePool limit of size 10 overflow 20 reached"),
    ],
    ids=lambda e: str(getattr(e, "orig", e)).split(":")[0][:40],
)
def test_a_database_out_of_reach_is_unavailable(error: Exception) -> None:
    assert is_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        _wrap(sa.DataError, pg.NumericValueOutOfRange("value out of range for type bigint")),
        _wrap(sa.ProgrammingError, pg.UndefinedTable('relation "nope" does not exist')),
        _wrap(sa.IntegrityError, pg.UniqueViolation("duplicate key value")),
        _wrap(sa.OperationalError, sqlite3.OperationalError("no such table: nope")),
        _wrap(sa.InterfaceError, sqlite3.InterfaceError("Error binding parameter 1")),
        ValueError("not a database error"),
    ],
    ids=lambda e: str(getattr(e, "orig", e)).split(":")[0][:40],
)
def test_a_bad_statement_or_bad_data_is_a_bug_not_an_outage(error: Exception) -> None:
    assert not is_unavailable(error)
