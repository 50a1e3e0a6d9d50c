"""`aisle supervisor`: the supervisor's live floor view in the terminal, or in a browser with --web."""

from __future__ import annotations

import argparse
import os
import shlex
import stat
import sys
from pathlib import Path

from app.cli import UserError
from app.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("supervisor", help="the supervisor's floor view (stations, orders, exceptions)")
    p.add_argument("--server", help="server base URL (default: [station] server_url)")
    p.add_argument(
        "--token",
        help="bearer token allowed to read and act (default: [station] token); every user of this machine "
        "sees a command line in `ps`: prefer --token-file or AISLE_STATION__TOKEN",
    )
    p.add_argument(
        "--token-file", type=Path, help="read the token from FILE (only its owner may read it: 0600)"
    )
    p.add_argument("--web", action="store_true", help="serve the view to browsers (textual-serve)")
    p.add_argument("--host", default="127.0.0.1", help="--web: interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8471, help="--web: TCP port (default 8471)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    server = args.server or settings.station.server_url
    token = (
        args.token or (read_token_file(args.token_file) if args.token_file else "") or settings.station.token
    )
    if not server:
        raise UserError("no server: pass --server URL or set [station] server_url")
    if args.web:
        return serve_web(server, token, args.host, args.port)
    from app.bootstrap.lifetime import run_app
    from app.bootstrap.supervisor import supervisor_terminal  # lazy: Textual, only for the terminal view

    return run_app(supervisor_terminal(settings, server, token))  # gone within 2 s of its terminal


def read_token_file(path: Path) -> str:
    """The token in `path` (surrounding whitespace dropped); refused unless only its owner may read it."""
    try:
        mode = path.stat().st_mode
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UserError(f"--token-file {path}: {exc.strerror or exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UserError(f"--token-file {path} may be read by other users: chmod 600 {shlex.quote(str(path))}")
    if not token:
        raise UserError(f"--token-file {path} is empty")
    return token


def serve_web(server: str, token: str, host: str, port: int) -> int:
    """Serve `aisle supervisor` to browsers: textual-serve starts one process per browser tab.

    Each tab's process gets the token in its environment (readable only by its user and root), never on its
    command line, which every user of the machine can read; the page itself never carries it.
    """
    try:
        from textual_serve.server import Server  # lazy: optional package, only for --web
    except ImportError:
        raise UserError(
            "--web needs the textual-serve package: pip install 'textual-serve>=1.1,<2'"
        ) from None
    if token:
        os.environ["AISLE_STATION__TOKEN"] = token  # inherited by each tab's process, not shown in `ps`
    runner = "import sys; from app.cli import main; sys.exit(main())"
    command = shlex.join([sys.executable, "-c", runner, "supervisor", "--server", server])
    print(f"Supervisor view on http://{host}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    Server(command, host=host, port=port, title="Aisle supervisor").serve()
    return 0
