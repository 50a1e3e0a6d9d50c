"""Opening the station database at start-up after an app upgrade (docs/sync.md station rule 7).

The migration runs in one transaction (app.station.store.db.migrate), so one that fails leaves the file at its
old revision with its outbox untouched. What the operator needs then is a message that says so and what to do:
keep the file, go back to the previous version (which sends the queued scans), call support.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from app.station.store import db as station_db


class UpgradeFailed(Exception):
    """The station database could not be migrated and nothing in it changed; the message says what to do."""


def open_and_upgrade(path: str | Path) -> Engine:
    """`open_station_db(path)`; UpgradeFailed, with the operator's message, when migrating a file fails."""
    before = station_db.schema_version(path)
    if before is None or before == station_db.SCHEMA_HEAD:
        return station_db.open_station_db(path)  # a new file, or nothing to migrate
    if before not in known_revisions():
        raise UpgradeFailed(
            f"the station database {path} was written by a newer version of Aisle (revision {before}; this "
            f"version knows up to {station_db.SCHEMA_HEAD}). Nothing in it was changed. Start that newer "
            "version on this station; do not delete or replace the file."
        )
    try:
        return station_db.open_station_db(path)
    except Exception as exc:
        if station_db.schema_version(path) == station_db.SCHEMA_HEAD:
            return station_db.open_station_db(path)  # another terminal migrated it meanwhile
        raise UpgradeFailed(explain(path, before, exc)) from exc


def known_revisions() -> set[str]:
    """The station schema revisions this version of Aisle has migrations for."""
    versions = Path(station_db.MIGRATIONS) / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


def explain(path: str | Path, before: str, exc: Exception) -> str:
    """What happened to the database at `path`, left at revision `before`, and what the operator should do."""
    now = station_db.schema_version(path)
    unsent = _unsent(path)
    kept = f"it keeps its {unsent} unsent event(s)" if unsent is not None else "its unsent events stay in it"
    state = (
        f"Nothing in it was changed: it is still at revision {before} and {kept}"
        if now == before
        else f"It is now at revision {now!r} (expected {before}): do not use it, {kept}"
    )
    return (
        f"the station database {path} could not be upgraded from revision {before} to "
        f"{station_db.SCHEMA_HEAD} ({type(exc).__name__}: {exc}). {state}. Do not delete or replace the "
        "file: start the previous version of Aisle to keep working (it sends them), and call support with "
        "this message."
    )


def _unsent(path: str | Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE acked = 0").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()
