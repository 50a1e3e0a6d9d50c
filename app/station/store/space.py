"""Giving a station file's free pages back to the disk (auto_vacuum=INCREMENTAL), and converting a file made
before Aisle set it. Pruning (app/station/store/prune.py) frees the pages; a file that is not converted still
stops growing, as new rows reuse them, but it does not shrink."""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import Engine

log = logging.getLogger("aisle.station")

RECLAIM_MIN_PAGES = 256
"""Free pages are handed back to the disk once there are this many (1 MiB at 4 KiB pages) …"""
RECLAIM_CHUNK_PAGES = 2048
"""… at most this many per write transaction, so a scan never waits behind a long vacuum."""


def _pragma(engine: Engine, name: str) -> int:
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None  # an open pool connection always has its sqlite3 connection
        row = conn.execute(f"PRAGMA {name}").fetchone()
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
        assert conn is not None  # as in _pragma
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
        conn.execute("VACUUM")
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
