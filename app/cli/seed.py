"""`aisle seed`: a realistic sample warehouse in an empty server database (deterministic for a --seed)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli import UserError
from app.cli.server import add_db_option, open_database, server_settings

if TYPE_CHECKING:
    from app.server.db.database import Database
    from app.server.seeding import SeedReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("seed", help="fill an empty server database with a sample warehouse")
    add_db_option(p)
    p.add_argument("--skus", type=int, default=3000, help="how many products (default 3000)")
    p.add_argument("--orders", type=int, default=300, help="how many orders (default 300)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed builds the same warehouse")
    p.set_defaults(handler=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    if args.skus < 1 or args.orders < 0:
        raise UserError("--skus must be at least 1 and --orders at least 0")
    db = open_database(server_settings(args).database_url)
    print(describe(seed_database(db, skus=args.skus, orders=args.orders, seed=args.seed)))
    return 0


def seed_database(db: Database, *, skus: int = 3000, orders: int = 300, seed: int = 1) -> SeedReport:
    """Seed `db`; UserError when it already holds data."""
    from app.server.seeding import seed as build  # lazy: the server's models, not for `aisle --help`

    try:
        with db.session_scope(write=True) as session:
            return build(session, skus=skus, orders=orders, seed=seed)
    except ValueError as exc:
        raise UserError(f"{exc} (use a new --db, or delete the file)") from None


def describe(report: SeedReport) -> str:
    """A short summary of what was seeded."""
    from app.server.seeding import OPERATOR_PIN  # lazy: as in seed_database

    orders = ", ".join(f"{n} {status}" for status, n in sorted(report.orders.items()))
    return (
        f"seeded {report.locations} locations, {report.products} products, {report.stock_slots} stock slots\n"
        f"orders: {orders}\n"
        f"operators: {', '.join(report.operators)} (PIN {OPERATOR_PIN})"
    )
