"""`aisle import products|locations|stock|orders FILE`: CSV or JSON, per-row errors with line numbers."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import UserError
from app.cli.server import add_db_option, open_database, server_settings

KINDS = ("products", "locations", "stock", "orders")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "import",
        help="import products, locations, stock or orders from CSV or JSON",
        description="Import a file. Nothing is imported from a file with errors unless --skip-bad-rows. "
        "File formats: see README, 'Central server'.",
    )
    p.add_argument("kind", choices=KINDS, help="what the file holds")
    p.add_argument("file", type=Path, help="a .csv (header row), .json (array of objects) or .jsonl file")
    p.add_argument(
        "--skip-bad-rows", action="store_true", help="import the good rows and report the bad ones"
    )
    add_db_option(p)
    p.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    from app.server.imports import import_file  # lazy: the server's models, not for `aisle --help`

    if not args.file.exists():
        raise UserError(f"{args.file}: no such file")
    db = open_database(server_settings(args).database_url)
    report = import_file(
        db, args.kind, args.file, skip_bad_rows=args.skip_bad_rows, actor=f"import:{args.file.name}"
    )
    for problem in report.errors:
        print(f"{args.file}: {problem}")
    if report.errors and not report.committed:
        raise UserError(
            f"{len(report.errors)} problem(s) in {args.file}; nothing was imported. "
            "Fix the lines above, or run again with --skip-bad-rows to import the good rows."
        )
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    print(f"imported {report.imported} {args.kind} record(s) from {args.file}{skipped}")
    return 1 if report.errors else 0
