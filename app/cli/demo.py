"""`aisle demo`: a server on a demo SQLite file with sample data, its tokens, and curl examples to try.

`prepare_demo()` does the set-up (migrate, seed once, tokens) and returns what to show;
`run_demo()` starts the server. Station UIs can hook in after `prepare_demo()`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from app.cli.server import open_database

DEMO_DB = Path("var/demo-server.db")


@dataclass
class DemoInfo:
    """What a demo user needs: where the server is and the tokens to call it with."""

    url: str
    database_url: str
    admin_token: str
    station_token: str
    seeded_now: str | None


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo", help="start a server with sample data on var/demo-server.db and show how to use it"
    )
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8470, help="TCP port (default 8470)")
    p.add_argument("--db", type=Path, default=DEMO_DB, help=f"demo SQLite file (default {DEMO_DB})")
    p.set_defaults(handler=run_demo)


def prepare_demo(db_path: Path = DEMO_DB, host: str = "127.0.0.1", port: int = 8470) -> DemoInfo:
    """Migrate the demo database, seed it if it is empty, and create an admin and a station token."""
    from sqlalchemy import func, select

    from app.cli.seed import describe, seed_database
    from sync.server.auth import create_token
    from sync.server.models import Product

    database_url = f"sqlite:///{db_path}"
    db = open_database(database_url)
    with db.session_scope() as session:
        empty = not session.scalar(select(func.count()).select_from(Product))
    seeded = describe(seed_database(db, skus=3000, orders=300, seed=1)) if empty else None
    with db.session_scope(write=True) as session:
        admin = create_token(session, "admin", "demo-admin")
        station = create_token(session, "station", "demo-station")
    db.dispose()
    return DemoInfo(f"http://{host}:{port}", database_url, admin, station, seeded)


def banner(info: DemoInfo) -> str:
    """What the demo prints: URL, tokens and a few commands to try."""
    auth = f'-H "Authorization: Bearer {info.admin_token}"'
    return "\n".join(
        [
            *([info.seeded_now] if info.seeded_now else []),
            "",
            f"Aisle server: {info.url}   (API docs: {info.url}/docs, database: {info.database_url})",
            f"admin token:   {info.admin_token}",
            f"station token: {info.station_token}",
            "",
            "Try:",
            f"  curl -s {auth} '{info.url}/api/v1/orders?status=backordered&limit=3'",
            f"  curl -s {auth} '{info.url}/api/v1/stock?sku=SKU-00001'",
            f"  curl -s {auth} -H 'Content-Type: application/json' {info.url}/api/v1/orders \\",
            '       -d \'{"channel":"web","external_id":"demo-1","lines":[{"sku":"SKU-00001","qty":1}]}\'',
            "",
            "Ctrl+C stops the server.",
        ]
    )


def run_demo(args: argparse.Namespace) -> int:
    import uvicorn

    from app.config import ServerSettings
    from sync.server.app import create_app

    info = prepare_demo(args.db, args.host, args.port)
    print(banner(info), flush=True)
    settings = ServerSettings.model_validate(
        {"database_url": info.database_url, "host": args.host, "port": args.port}
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0
