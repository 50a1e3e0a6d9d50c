"""The `aisle` command: parse the arguments, call the composition root (`app.bootstrap`), run what it built.

Each subcommand lives in its own module with `register(subparsers)`. `aisle --help` imports every one of them,
so each imports its stack (`app.bootstrap.*`, SQLAlchemy, Textual, the server) inside its handler, marked
`# lazy:`: a command loads only what it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app.config import SettingsError

#: subcommand modules, in the order `aisle --help` lists them
COMMAND_MODULES = (
    "app.cli.demo",
    "app.cli.server",
    "app.cli.token",
    "app.cli.importer",
    "app.cli.seed",
    "app.cli.scan",
    "app.cli.decode",
    "app.cli.station",
    "app.cli.labels",
    "app.cli.printer",
    "app.cli.simulate",
    "app.cli.supervisor",
)


class UserError(Exception):
    """Something the user can fix; printed without a traceback, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aisle", description="Aisle warehouse floor software.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that command is not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except (SettingsError, UserError) as exc:
        print(f"aisle {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
