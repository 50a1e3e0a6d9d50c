"""Engine and sessions for the server database: SQLite (WAL) or PostgreSQL (psycopg 3), same code.

`Database(url)` owns the engine and two session factories. Use `db.session_scope(write=True)` for anything
that changes data: on SQLite it starts with `BEGIN IMMEDIATE`, so writers queue for the lock up front
instead of failing half-way; on PostgreSQL writers lock the rows they change (`SELECT … FOR UPDATE`, see
app.server.stock.reservations).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

#: execution option that makes a SQLite transaction start with BEGIN IMMEDIATE
_IMMEDIATE = "aisle_begin_immediate"
#: a pooled PostgreSQL connection idle for longer than this is pinged before it is handed out
PING_AFTER_IDLE_S = 5.0


#: PostgreSQL SQLSTATE classes that say the server cannot serve now, not that the statement is wrong:
#: connection exception, insufficient resources, operator intervention (shutting down, starting up, recovery)
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
#: SQLite errors of the same kind (anything else, such as "no such table", is a bug, not an outage)
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error", "disk is full")


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` means the database is out of reach for now (restarting, crashed, connection lost, pool
    exhausted, locked): the same request may succeed in a moment. False for a bad statement or data.
    """
    if isinstance(exc, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if isinstance(exc.orig, sqlite3.Error):
        text = str(exc.orig).lower()
        return isinstance(exc, sa_exc.OperationalError) and any(t in text for t in _SQLITE_UNAVAILABLE)
    if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    # psycopg gives no SQLSTATE when it could not connect or the connection broke under it
    return sqlstate is None or str(sqlstate)[:2] in _UNAVAILABLE_SQLSTATE_CLASSES


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


def _setup_postgres(engine: Engine) -> None:
    """Ping only connections that sat idle: a busy pool pays no `SELECT 1` per request (pool_pre_ping does).

    A connection that broke while idle (server restart, network) is replaced before use; one that breaks
    in use fails its transaction, which `run_write` retries on a fresh connection.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"pooled connection is gone: {exc}") from exc


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
    engine = create_engine(url, pool_size=pool_size, max_overflow=20, pool_recycle=3600)
    _setup_postgres(engine)
    return engine


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
