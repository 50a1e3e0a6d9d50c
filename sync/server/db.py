"""Engine and sessions for the server database: SQLite (WAL) or PostgreSQL (psycopg 3), same code.

`Database(url)` owns the engine and two session factories. Use `db.session_scope(write=True)` for anything
that changes data: on SQLite it starts with `BEGIN IMMEDIATE`, so writers queue for the lock up front
instead of failing half-way; on PostgreSQL writers lock the rows they change (`SELECT … FOR UPDATE`, see
sync.server.services.reservations).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

#: execution option that makes a SQLite transaction start with BEGIN IMMEDIATE
_IMMEDIATE = "aisle_begin_immediate"


class DatabaseUrlError(ValueError):
    """The database URL cannot be used; the message says what to write instead."""


def normalize_url(url: str) -> str:
    """Accept postgresql:// and postgres:// as psycopg 3 URLs; refuse what we cannot run on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(
            f"{url!r} is not a database URL; use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"{url!r}: Aisle runs on SQLite or PostgreSQL, not {backend}")
    return parsed.render_as_string(hide_password=False)


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself (see "begin" below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for `url`; SQLite files get their directory created and WAL mode."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _setup_sqlite(engine)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


class Database:
    """The server's database: an engine plus read and write session factories."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        self.url = normalize_url(url)
        self.engine = engine or make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgres = self.engine.dialect.name == "postgresql"
        writer = self.engine.execution_options(**{_IMMEDIATE: True}) if self.is_sqlite else self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def session_scope(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on any exception."""
        factory = self._write if write else self._read
        with factory() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection (call when the app shuts down)."""
        self.engine.dispose()
