"""Parcel identifiers: 1,000 SSCCs issued through two `aisle server` processes on one PostgreSQL database at
once (8 client threads alternating between them), counted for duplicates (target: 0, issue 13), and beside it
the raw INSERT limit measured in the same run: 1,000 one-row INSERT + COMMIT transactions from 8 threads
straight into PostgreSQL, no HTTP, no lock, the ceiling any number service on this machine sits under.
Run: ``.venv/bin/python -m tests.bench numbers``."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from app.cli.simulation.warehouse import make_token
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.server.shipping.models import IssuedNumber
from tests.support.number_servers import SSCC, at_once, issue_many, two_servers
from tests.support.pg import PostgresUnavailable, create_database, drop_database

LABELS = int(os.environ.get("AISLE_BENCH_LABELS", "1000"))
THREADS = 8


def _raw_inserts(url: str, n: int) -> float:
    """Seconds for `n` one-row INSERT transactions from THREADS connections at once."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_raw (n bigint PRIMARY KEY, text varchar(40) NOT NULL)")
    local = threading.local()

    def insert(i: int) -> None:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(dsn, autocommit=True)
        local.conn.execute("INSERT INTO bench_raw (n, text) VALUES (%s, %s)", (i, f"{i:018d}"))

    started = time.perf_counter()
    at_once(n, THREADS, insert)
    return time.perf_counter() - started


def run() -> None:
    try:
        url = create_database("aisle_bench_")
    except PostgresUnavailable as exc:
        print(f"skipped: {exc}")
        return
    db = Database(url)
    try:
        upgrade(db)
        token = make_token(db, "admin", "bench")
        with tempfile.TemporaryDirectory() as tmp, two_servers(url, Path(tmp)) as servers:
            issue_many([s.url for s in servers], token, SSCC, 20)  # warm both processes and their pools
            started = time.perf_counter()
            numbers = issue_many([s.url for s in servers], token, SSCC, LABELS, THREADS)
            elapsed = time.perf_counter() - started
        with db.session_scope() as s:
            rows = s.scalar(select(func.count()).select_from(IssuedNumber)) or 0
            distinct = s.scalar(select(func.count(func.distinct(IssuedNumber.text)))) or 0
        duplicates = (len(numbers) - len(set(numbers))) + (rows - distinct)
        raw = _raw_inserts(url, LABELS)
        print(
            f"{LABELS:,} labels through two server processes on PostgreSQL: {duplicates} duplicates "
            f"(target 0); {elapsed:.2f} s, {LABELS / elapsed:,.0f} numbers/s"
        )
        print(
            f"raw INSERT limit, same run: {LABELS:,} one-row transactions from {THREADS} connections in "
            f"{raw:.2f} s, {LABELS / raw:,.0f}/s (the server path: HTTP, token, range lock, block, row)"
        )
    finally:
        db.dispose()
        drop_database(url)


if __name__ == "__main__":
    run()
