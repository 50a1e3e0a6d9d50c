"""The central server: its database (connected and migrated) and its FastAPI app on given settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from app.cli import UserError
from app.config import ServerSettings, Settings
from app.server.db.database import Database, DatabaseUrlError
from app.server.db.migrate import upgrade

if TYPE_CHECKING:
    from fastapi import FastAPI


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect (and migrate) or raise UserError saying what to check."""
    try:
        db = Database(url)
        if migrate:
            upgrade(db)
        else:
            with db.engine.connect():
                pass
    except DatabaseUrlError as exc:
        raise UserError(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = (
            "Is PostgreSQL running, and does the database exist? Create it: createdb -h HOST -U USER NAME"
            if "postgresql" in url
            else "Check that the directory is writable."
        )
        raise UserError(f"cannot open the database {url}: {reason}. {hint}") from None
    return db


def server_app(
    settings: Settings, server: ServerSettings | None = None, db: Database | None = None
) -> FastAPI:
    """The server's app on the whole `settings` ([batching] reaches the work-release rule too), with its
    [server] section replaced by `server` when given, on `db` when the database is open already."""
    from app.server.app import create_app  # lazy: FastAPI and every router, only for a command that serves

    if server is not None:
        settings = settings.model_copy(update={"server": server})
    return create_app(settings, db=db)
