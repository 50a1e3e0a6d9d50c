"""Throw-away PostgreSQL databases for tests: `create_database()` and `drop_database(url)`.

The server is AISLE_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test). In CI (CI=true) a server that
does not answer is a failure; elsewhere the tests that need it are skipped.
"""

from __future__ import annotations

import os
import secrets

import psycopg
from psycopg import sql

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


class PostgresUnavailable(RuntimeError):
    """The test PostgreSQL server does not answer."""


def admin_url() -> str:
    """The maintenance connection used to create and drop test databases."""
    return os.environ.get("AISLE_TEST_PG", DEFAULT_ADMIN_URL)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _connect() -> psycopg.Connection:
    try:
        return psycopg.connect(admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(f"PostgreSQL at {admin_url()} does not answer: {exc}") from exc


def create_database(prefix: str = "aisle_test_") -> str:
    """Create an empty database and return its SQLAlchemy URL (postgresql+psycopg://…)."""
    name = f"{prefix}{secrets.token_hex(6)}"
    with _connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base = psycopg.conninfo.conninfo_to_dict(admin_url())
    user = base.get("user", "postgres")
    host, port = base.get("host", "127.0.0.1"), base.get("port", "5432")
    password = f":{base['password']}" if base.get("password") else ""
    return f"postgresql+psycopg://{user}{password}@{host}:{port}/{name}"


def drop_database(url: str) -> None:
    """Drop the database `url` names, ending any connection still open on it."""
    name = url.rsplit("/", 1)[1].split("?")[0]
    with _connect() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
