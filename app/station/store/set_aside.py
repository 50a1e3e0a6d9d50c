"""Setting aside a station database another server filled (sync.identity): copied whole, then emptied.

The file stays open for the whole run (the terminal's units of work and the sync thread share one engine),
so it is not renamed under the open connections: in WAL mode a connection closing late would remove the
`-wal` of the new file at the old name. Instead one consistent copy is written with `VACUUM INTO` (a single
file, its WAL folded in), and in one `BEGIN IMMEDIATE` the database is emptied and given a new replica, so
every connection sees either the old database or the clean one. `PRAGMA data_version` makes sure no other
connection committed between the copy and the emptying: a scan recorded then makes it copy again, so the copy
holds everything the emptying removes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Engine

from app.station.store import tables as t
from sync.identity import SetAside, set_aside_name

log = logging.getLogger("aisle.sync")
ATTEMPTS = 20


def set_aside(engine: Engine, old_server: str, new_server: str, at: float) -> SetAside:
    """Copy the database to `set_aside_name(...)` and empty it for a new replica of `new_server`."""
    path = str(engine.url.database)
    moved = set_aside_name(path, old_server, at)
    part = Path(f"{moved}.part")
    fairy = engine.raw_connection()  # pooled: the station pragmas, autocommit (no implicit BEGIN)
    try:
        conn = fairy.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        for _ in range(ATTEMPTS):
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            part.unlink(missing_ok=True)
            conn.execute("VACUUM INTO ?", (str(part),))
            _fsync(part)
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA data_version").fetchone()[0] != version:
                    conn.execute("ROLLBACK")  # a scan was recorded after the copy: copy again
                    continue
                done = _empty(conn, path, str(moved), old_server, new_server, at)
                os.replace(part, moved)  # before COMMIT: without the copy in place, nothing is emptied
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return done
        raise RuntimeError(f"could not set {path} aside: it kept changing while it was copied")
    finally:
        part.unlink(missing_ok=True)
        fairy.close()


def _empty(
    conn: sqlite3.Connection, path: str, moved: str, old_server: str, new_server: str, at: float
) -> SetAside:
    """In the caller's transaction: list what was unsent, empty every table, start a new replica."""
    old_replica = str(conn.execute("SELECT replica_id FROM replica").fetchone()[0])
    unsent = conn.execute("SELECT seq, type, event_id FROM outbox WHERE acked = 0 ORDER BY seq").fetchall()
    for table in reversed(t.metadata.sorted_tables):  # children before parents (foreign keys are on)
        conn.execute(f'DELETE FROM "{table.name}"')  # table names from our own schema
    new_replica = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO replica (id, replica_id, created_wall, next_seq) VALUES (1, ?, ?, 1)", (new_replica, at)
    )
    conn.execute(
        "INSERT INTO sync_state (id, acked_through, online, status, detail, server_id, reference_loaded) "
        "VALUES (1, 0, 0, 'ok', '', ?, 0)",
        (new_server,),
    )
    conn.execute("INSERT INTO station_session (id) VALUES (1)")
    done = SetAside(path, moved, old_server, new_server, len(unsent), old_replica, new_replica)
    log.warning("%s (replica %s kept in %s, new replica %s)", done.notice(), old_replica, moved, new_replica)
    for seq, type_, event_id in unsent:
        log.warning("unsent, kept in %s: seq %s %s %s", moved, seq, type_, event_id)
    return done


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
