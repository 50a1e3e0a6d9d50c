"""Opening the station database: WAL and synchronous=FULL on every connection, BEGIN IMMEDIATE transactions,
and Alembic migrations at start-up in one transaction (the outbox is never dropped or rewritten).
Read-only connections (read_connection) begin deferred, so reads never queue behind the writer.

The file gives back the space pruning frees (app/station/store/prune.py): it is made with
auto_vacuum=INCREMENTAL, a file made before that is converted by one VACUUM when it is opened, and the -wal
file is cut back to WAL_LIMIT_BYTES whenever a checkpoint lets it restart.

A database already at SCHEMA_HEAD is opened without importing Alembic: the version row is read with sqlite3
first, so a terminal's start-up does not pay for the migration machinery it does not need.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.pool import QueuePool

from app.station.store import tables as t

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("aisle.station")

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0002"
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

RECLAIM_MIN_PAGES = 256
"""Free pages are handed back to the disk once there are this many (1 MiB at 4 KiB pages) …"""
RECLAIM_CHUNK_PAGES = 2048
"""… at most this many per write transaction, so a scan never waits behind a long vacuum."""

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


def _pragma(engine: Engine, name: str) -> int:
    raw = engine.raw_connection()
    try:
        row = raw.driver_connection.execute(f"PRAGMA {name}").fetchone()  # type: ignore[union-attr]
    finally:
        raw.close()
    return int(row[0]) if row else 0


def ensure_incremental_vacuum(engine: Engine) -> bool:
    """Convert a file made before auto_vacuum=INCREMENTAL, once, by VACUUM (start-up, before any scan).

    VACUUM cannot run inside a transaction, so this is not an Alembic migration. It needs free disk space
    about the file's size: when it fails (disk full, another terminal writing) the file stays as it was,
    pruning still frees pages for reuse, and the next start tries again. True when the file is converted.
    """
    if _pragma(engine, "auto_vacuum") == 2:
        return True
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # type: ignore[union-attr]
        conn.execute("VACUUM")  # type: ignore[union-attr]
    except sqlite3.Error as exc:
        log.warning("could not convert the database to auto_vacuum: %s", exc)
        return False
    finally:
        raw.close()
    return True


def reclaim_free_pages(engine: Engine, min_pages: int = RECLAIM_MIN_PAGES) -> int:
    """Give the free pages pruning left back to the disk (auto_vacuum=INCREMENTAL files) once there are
    `min_pages`, in small write transactions, then checkpoint without waiting for anyone; returns how many
    pages were freed. Fewer free pages stay: the next scans reuse them."""
    if _pragma(engine, "auto_vacuum") != 2:
        return 0  # freed pages are reused by the next inserts; the file stops growing, it does not shrink
    freed = 0
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        while (free := int(conn.execute("PRAGMA freelist_count").fetchone()[0])) >= min_pages:
            # executescript steps the pragma to the end (execute would free one page per step)
            conn.executescript(f"PRAGMA incremental_vacuum({RECLAIM_CHUNK_PAGES});")
            after = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
            freed += free - after
            if after >= free:
                break
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # the file shrinks when the WAL reaches it
    except sqlite3.Error as exc:  # busy or locked: the pages stay free and are reused, next pass tries again
        log.info("reclaiming free pages stopped: %s", exc)
    finally:
        raw.close()
    return freed


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
