"""Throw-away PostgreSQL databases for tests: `create_database()` (empty, or a copy of a template database)
and `drop_database(url)`; `skip_or_fail(exc)` for a fixture that finds PostgreSQL missing.

The server is AISLE_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test). In CI (CI=true) a server that
does not answer is a failure; elsewhere the tests that need it are skipped.
"""

from __future__ import annotations

import os
import secrets
from typing import NoReturn

import psycopg
import pytest
from psycopg import sql

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


class PostgresUnavailable(RuntimeError):
    """The test PostgreSQL server does not answer."""


def admin_url() -> str:
    """The maintenance connection used to create and drop test databases."""
    return os.environ.get("AISLE_TEST_PG", DEFAULT_ADMIN_URL)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(exc: PostgresUnavailable) -> NoReturn:
    """Skip the test that needs PostgreSQL, or fail it in CI (CI=true), where PostgreSQL tests must run."""
    if in_ci():
        pytest.fail(f"{exc} (CI=true: PostgreSQL tests must run)")
    pytest.skip(str(exc))


def _connect() -> psycopg.Connection:
    try:
        return psycopg.connect(admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(f"PostgreSQL at {admin_url()} does not answer: {exc}") from exc


def create_database(prefix: str = "aisle_test_", *, template: str | None = None) -> str:
    """Create a database and return its SQLAlchemy URL (postgresql+psycopg://…).

    Empty, or a copy of the database `template` names (a URL; nobody may be connected to it meanwhile).
    """
    name = f"{prefix}{secrets.token_hex(6)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(database_name(template)))
    with _connect() as conn:
        conn.execute(create)
    base = psycopg.conninfo.conninfo_to_dict(admin_url())
    user = base.get("user", "postgres")
    host, port = base.get("host", "127.0.0.1"), base.get("port", "5432")
    password = f":{base['password']}" if base.get("password") else ""
    return f"postgresql+psycopg://{user}{password}@{host}:{port}/{name}"


def drop_database(url: str) -> None:
    """Drop the database `url` names, ending any connection still open on it."""
    with _connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def database_name(url: str) -> str:
    """The database a URL names."""
    return url.rsplit("/", 1)[1].split("?")[0]
