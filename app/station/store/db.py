"""Opening the station database: WAL and synchronous=FULL on every connection, BEGIN IMMEDIATE transactions,
and Alembic migrations at start-up in one transaction (the outbox is never dropped or rewritten).
Read-only connections (read_connection) begin deferred, so reads never queue behind the writer.

A new file is made with auto_vacuum=INCREMENTAL, so it can give back the space pruning frees (a file made
before is converted when it is opened: app/station/store/space.py); the -wal file is cut back to
WAL_LIMIT_BYTES whenever a checkpoint lets it restart.

A database already at SCHEMA_HEAD is opened without importing Alembic: the version row is read with sqlite3
first, so a terminal's start-up does not pay for the migration machinery it does not need.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.pool import QueuePool

from app.station.store import tables as t
from app.station.store.space import ensure_incremental_vacuum

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0003"
"""The newest migration's revision (tests check that it is Alembic's head): a database there needs none."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # pysqlite must not open transactions itself: we emit BEGIN IMMEDIATE (see _on_begin), which also makes
    # DDL transactional, so a migration is all-or-nothing.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    if cur.execute("PRAGMA page_count").fetchone()[0] == 0:
        # A new file takes auto_vacuum only before its first page, so before journal_mode. Never on a file
        # in use: setting it takes the write lock (an old file is converted by ensure_incremental_vacuum).
        cur.execute("PRAGMA auto_vacuum=INCREMENTAL")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    cur.execute("PRAGMA synchronous=FULL")  # a scan is shown as recorded only after a durable COMMIT
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")  # the sync thread and the scan handler take turns
    cur.close()


WAL_LIMIT_BYTES = 8 * 1024 * 1024
"""The -wal file is truncated to this after a checkpoint resets it (SQLite otherwise keeps its peak size)."""

READ_ONLY = "aisle_read_only"
"""Execution option of a connection that only reads: its transactions BEGIN DEFERRED (see read_connection)."""


def _on_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front: two writers never deadlock upgrading a read lock. A reader's
    # deferred BEGIN takes no lock at all: in WAL mode it reads its snapshot while the writer goes on.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def read_connection(engine: Engine) -> Connection:
    """A connection whose transactions only read (deferred BEGIN): it never waits for the writer."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def create_station_engine(path: str | Path) -> Engine:
    """An Engine on the SQLite file `path` with the station's pragmas set on every connection."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        connect_args={"check_same_thread": False, "timeout": 5},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config  # lazy: Alembic (~100 ms) only when a schema must be migrated

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest version in one transaction (the first one creates the replica id)."""
    from alembic import command  # lazy: as in alembic_config

    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_station_db(path: str | Path) -> Engine:
    """Open (creating and migrating as needed) the station database at `path`."""
    existed = Path(path).is_file()
    engine = create_station_engine(path)
    if schema_version(path) != SCHEMA_HEAD:
        migrate(engine)
    if existed:
        ensure_incremental_vacuum(engine)
    return engine


def schema_version(path: str | Path) -> str | None:
    """The Alembic revision recorded in the database at `path`; None when there is no file or no version."""
    if not Path(path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:  # no version table yet, or unreadable: let Alembic decide
        return None
    finally:
        conn.close()
    return str(rows[0][0]) if len(rows) == 1 else None


def replica_id(engine: Engine) -> str:
    """This database's replica id (a uuid4 made when the file was created)."""
    with engine.connect() as conn:
        value = conn.execute(select(t.replica.c.replica_id)).scalar_one()
        conn.rollback()
    return str(value)


def current_boot_id() -> str:
    """The kernel's id of this boot: a lease deadline on the boot clock means nothing after a reboot."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown-boot"
