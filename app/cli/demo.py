"""`aisle demo`: a central server on a demo SQLite file with sample data and a station, in one terminal.

`app.bootstrap.demo` does the set-up (migrate, seed once, tokens); `run_demo()` starts the server in a
background thread, releases the accepted orders to the floor and opens the floor terminal with a keyboard
scanner and the F9 "scan for me" simulated scanner. `--server-only` (or no terminal) serves and prints
tokens and curls.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import UserError

if TYPE_CHECKING:
    from app.bootstrap.demo import DemoInfo

DEMO_DB = Path("var/demo-server.db")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "demo", help="start a server with sample data on var/demo-server.db and show how to use it"
    )
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8470, help="TCP port (default 8470)")
    p.add_argument("--db", type=Path, default=DEMO_DB, help=f"demo SQLite file (default {DEMO_DB})")
    p.add_argument("--server-only", action="store_true", help="serve only; print tokens and curl examples")
    p.add_argument("--scanner", default="keyboard", help="the station's scanner spec (default keyboard)")
    p.set_defaults(handler=run_demo)


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
    from app.bootstrap.demo import demo_terminal, prepare_demo  # lazy: the server's and station's stacks
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
        code = demo_terminal(info, args.scanner).run(on_kill=[server.stop])
    print(banner(info).replace("Ctrl+C stops the server.", "The server stopped with the station."))
    return code
