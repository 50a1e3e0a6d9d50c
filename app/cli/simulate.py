"""`aisle simulate`: N headless stations picking and packing M orders against a server, with throughput
and the docs/sync.md invariants checked at the end (exit status 1 when one is broken). See app.cli.simulation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "simulate",
        help="run N headless stations picking and packing M orders; report throughput and invariants",
    )
    p.add_argument(
        "--stations", type=int, default=4, help="picker stations, then as many packer stations (4)"
    )
    p.add_argument("--orders", type=int, default=40, help="orders to take in, release, pick and pack (40)")
    p.add_argument(
        "--server",
        metavar="URL",
        help="use this running server (its database must be given with --db); default: start one",
    )
    p.add_argument(
        "--db", metavar="URL", help="server database (default: a new SQLite file in the work directory)"
    )
    p.add_argument("--seed", type=int, default=1, help="random seed for the warehouse and the operators (1)")
    p.add_argument(
        "--error-rate", type=float, default=0.02, help="share of scans preceded by a wrong one (0.02)"
    )
    p.add_argument("--skus", type=int, default=200, help="products to seed when the database is empty (200)")
    p.add_argument("--workdir", type=Path, help="where station databases and logs go (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the work directory even when all is well")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.stations < 1 or args.orders < 1:
        raise UserError("--stations and --orders must be at least 1")
    if not 0 <= args.error_rate < 1:
        raise UserError("--error-rate must be between 0 and 1 (for example 0.02)")
    if args.server and not args.db:
        raise UserError("--server needs --db with that server's database URL (for tokens and the checks)")
    from app.cli.simulation.run import SimulationConfig, simulate  # lazy: httpx, SQLAlchemy, the server

    config = SimulationConfig(
        stations=args.stations,
        orders=args.orders,
        server_url=args.server,
        db_url=args.db,
        seed=args.seed,
        error_rate=args.error_rate,
        skus=args.skus,
        workdir=args.workdir,
        keep=args.keep,
    )
    report = simulate(config, echo=lambda s: print(s, file=sys.stderr, flush=True))
    print("\n".join(report.lines_text()), flush=True)
    return 0 if report.ok else 1
