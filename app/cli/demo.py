"""`aisle demo`: a central server on a demo SQLite file with sample data and a station, in one terminal.

`prepare_demo()` does the set-up (migrate, seed once, tokens); `run_demo()` starts the server in a background
thread, releases the accepted orders to the floor and opens the floor terminal with a keyboard scanner and the
F9 "scan for me" simulated scanner. `--server-only` (or no terminal) serves and prints tokens and curls.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from app.cli import UserError
from app.cli.server import open_database

DEMO_DB = Path("var/demo-server.db")
DEMO_STATION = "DEMO1"
DEMO_BADGE = "OP-1004"  # Lee Packer: may pick and pack


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
    p.add_argument("--server-only", action="store_true", help="serve only; print tokens and curl examples")
    p.add_argument("--scanner", default="keyboard", help="the station's scanner spec (default keyboard)")
    p.set_defaults(handler=run_demo)


def prepare_demo(db_path: Path = DEMO_DB, host: str = "127.0.0.1", port: int = 8470) -> DemoInfo:
    """Migrate the demo database, seed it if it is empty, and create an admin and a station token."""
    from sqlalchemy import func, select

    from app.cli.seed import describe, seed_database
    from app.server.access.auth import create_token
    from app.server.catalogue.models import Product

    database_url = f"sqlite:///{db_path}"
    db = open_database(database_url)
    with db.session_scope() as session:
        empty = not session.scalar(select(func.count()).select_from(Product))
    seeded = describe(seed_database(db, skus=3000, orders=300, seed=1)) if empty else None
    with db.session_scope(write=True) as session:
        admin = create_token(session, "admin", "demo-admin")
        station = create_token(session, "station", DEMO_STATION)  # a station token is named by its station
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
    """Serve the demo; with a terminal, open the floor terminal on it too."""
    from app.cli.demo_server import BackgroundServer, free_port

    port = args.port if args.port else free_port()
    try:
        port = free_port(args.host, prefer=port)
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}: {exc}") from None
    info = prepare_demo(args.db, args.host, port)
    if args.server_only or not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(banner(info), flush=True)
        return BackgroundServer(info.database_url, args.host, port).serve_forever()
    log = args.db.with_suffix(".log")
    with BackgroundServer(info.database_url, args.host, port, log_file=log) as server:
        released = server.release_work(info.admin_token)
        print(f"Server up on {info.url} ({released} orders released to the floor; log in {log}).", flush=True)
        code = _open_station(info, args.scanner)
    print(banner(info).replace("Ctrl+C stops the server.", "The server stopped with the station."))
    return code


def _open_station(info: DemoInfo, scanner: str) -> int:
    from app.cli.station_tui import run_tui

    station_args = argparse.Namespace(
        role="",
        station_id=DEMO_STATION,
        server=info.url,
        token=info.station_token,
        db=str(Path("var") / f"demo-station-{DEMO_STATION}.db"),
        scanner=scanner,
        no_sync=False,
    )
    return run_tui(station_args, demo_badge=DEMO_BADGE, demo_label=lambda: _picked_order_label(info))


def _picked_order_label(info: DemoInfo) -> str | None:
    """The label of an order that waits for packing (the demo's packer scans it), or None."""
    import httpx

    try:
        resp = httpx.get(
            f"{info.url}/api/v1/orders",
            params={"status": "picked", "limit": 1},
            headers={"Authorization": f"Bearer {info.admin_token}"},
            timeout=5,
        )
        items = resp.json().get("items", []) if resp.status_code == 200 else []
    except (httpx.HTTPError, ValueError):
        return None
    return f"ORD-{items[0]['id']}" if items else None
