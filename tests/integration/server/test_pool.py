"""Pooled PostgreSQL connections that die while idle or in use are replaced, not turned into errors."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from app.server.db import database as db_module
from app.server.db.database import Database
from app.server.db.tx import run_write
from tests.support.pg import admin_url

pytestmark = pytest.mark.postgres


def _kill_backends_of(url: str) -> int:
    """Terminate every server process connected to the database `url` names; returns how many."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        ).fetchall()
    return len(rows)


def _pooled(pg_url: str) -> Database:
    database = Database(pg_url)
    with database.session_scope() as session:  # one connection now sits in the pool
        session.execute(text("SELECT 1"))
    return database


def test_connection_killed_while_idle_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _pooled(pg_url)
    assert _kill_backends_of(pg_url) == 1
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_S", 0.0)  # every checkout counts as idle
    with database.session_scope() as session:
        assert session.execute(text("SELECT 2")).scalar_one() == 2
    database.dispose()


def test_write_on_a_connection_that_died_unnoticed_is_retried_on_a_new_one(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _pooled(pg_url)
    assert _kill_backends_of(pg_url) == 1
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_S", 3600.0)  # no ping: the write hits the dead one
    result = run_write(database, lambda session: session.execute(text("SELECT 3")).scalar_one())
    assert result == 3
    database.dispose()
