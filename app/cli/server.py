"""`aisle server`: run the central server (migrating first), or `aisle server migrate` to only migrate."""

from __future__ import annotations

import argparse
import gc
from typing import TYPE_CHECKING

from app.config import ServerSettings, load_settings

if TYPE_CHECKING:
    from app.server.db.database import Database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("server", help="run the central server (REST API for shops and stations)")
    add_db_option(p)
    p.add_argument("--host", help="interface to listen on (default: server.host)")
    p.add_argument("--port", type=int, help="TCP port (default: server.port)")
    p.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="do not log every request (a proxy in front usually logs them; saves CPU under load)",
    )
    p.set_defaults(handler=run_server)
    sub = p.add_subparsers(dest="server_command", metavar="ACTION")
    m = sub.add_parser("migrate", help="bring the database schema up to date and exit")
    add_db_option(m)
    m.set_defaults(handler=run_migrate)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The --db option every server-side command shares."""
    parser.add_argument(
        "--db",
        dest="db",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="sqlite:///path.db or postgresql+psycopg://user@host/db (default: server.database_url)",
    )


def server_settings(args: argparse.Namespace) -> ServerSettings:
    """Settings from config.toml / AISLE_* with the command-line options on top."""
    settings = load_settings().server
    updates = {}
    if getattr(args, "db", None):
        updates["database_url"] = args.db
    if getattr(args, "host", None):
        updates["host"] = args.host
    if getattr(args, "port", None):
        updates["port"] = args.port
    return settings.model_copy(update=updates)


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect (and migrate) or raise UserError saying what to check: `app.bootstrap.server.open_database`."""
    from app.bootstrap import server  # lazy: SQLAlchemy and Alembic load only for the server's commands

    return server.open_database(url, migrate=migrate)


def run_server(args: argparse.Namespace) -> int:
    import uvicorn  # lazy: the web server's stack, only for the command that serves

    from app.bootstrap.server import server_app  # lazy: as open_database

    settings = server_settings(args)
    db = open_database(settings.database_url, migrate=settings.migrate_on_start)
    app = server_app(load_settings(), settings.model_copy(update={"migrate_on_start": False}), db)
    print(f"Aisle server on http://{settings.host}:{settings.port} (database {db.engine.url!r})", flush=True)
    # Everything loaded so far lives as long as the process: keep it out of the collector's full passes,
    # which otherwise walk every module, model and route again and again under load.
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=getattr(args, "access_log", True),
    )
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    from app.server.db.migrate import current_revision  # lazy: Alembic, as open_database

    settings = server_settings(args)
    db = open_database(settings.database_url)
    print(f"database {db.engine.url!r} is at revision {current_revision(db)}")
    return 0
