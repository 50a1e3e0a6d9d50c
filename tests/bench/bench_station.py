"""Scan-to-verdict latency of the station engine (durable commit included), beside a bare SQLite commit.

100,000 SKUs in the catalogue slice and 5,000 open leased lines; each scan goes through interpretation, the
domain verdict, the scan row and outbox row(s), and COMMIT with WAL + synchronous=FULL.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from app.bootstrap.station import settle_heap
from app.domain.catalogue import Barcode, Location, Product
from app.domain.gtin import with_check_digit
from app.domain.scanning import LabelRules
from app.domain.work import Lease, PickLine, WorkKind, WorkUnit
from app.station.services.clock import SystemClock
from app.station.services.commands import RecordScan
from app.station.services.deps import StationConfig, StationDeps, domain_interpreter
from app.station.services.ports import Operator
from app.station.services.station import Station
from app.station.store.db import open_station_db
from app.station.store.uow import SqlUnitOfWorkFactory

SKUS = 100_000
LINES = 5_000
LINES_PER_UNIT = 20
SCANS = 2_000
TARGET_P99_MS = 5.0


def _gtin(i: int) -> str:
    return with_check_digit(f"20{i:010d}")


def _seed(uow: SqlUnitOfWorkFactory) -> None:
    deadline = SystemClock().boot() + 86_400
    with uow() as u:
        for start in range(0, SKUS, 5_000):
            u.catalogue.upsert_products(
                [
                    Product(f"SKU-{i:06d}", f"Product {i}", (Barcode(_gtin(i)),), 100)
                    for i in range(start, start + 5_000)
                ]
            )
        u.catalogue.upsert_locations(
            [Location(f"A-{i // 100 % 100:02d}-{i % 100:02d}-1") for i in range(LINES)]
        )
        u.operators.upsert([Operator("OP-1001", "Bench", ("picker",))])
        for w in range(LINES // LINES_PER_UNIT):
            lines = []
            for j in range(LINES_PER_UNIT):
                n = w * LINES_PER_UNIT + j
                loc = f"A-{n // 100 % 100:02d}-{n % 100:02d}-1"
                lines.append(
                    PickLine(
                        f"L{n}",
                        f"{w}",
                        f"SKU-{n:06d}",
                        f"Product {n}",
                        loc,
                        1_000_000,
                        j,
                        Lease(n + 1, deadline),
                    )
                )
            u.work.add(WorkUnit(f"W-{w:04d}", WorkKind.SINGLE, [f"{w}"], lines))
        u.commit()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100)
    return q[49] * 1000, q[98] * 1000


def _bare_commit(path: Path, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (body) VALUES (?)", (f"a{i}",))
        conn.execute("INSERT INTO t (body) VALUES (?)", (f"b{i}",))
        conn.execute("COMMIT")
        out.append(time.perf_counter() - t0)
    conn.close()
    return out


def run() -> None:
    with tempfile.TemporaryDirectory(
        dir=Path.cwd() / "var" if (Path.cwd() / "var").is_dir() else None
    ) as tmp:
        db = Path(tmp) / "bench-station.db"
        uow = SqlUnitOfWorkFactory(open_station_db(db))
        t0 = time.perf_counter()
        _seed(uow)
        print(f"seeded {SKUS:,} SKUs and {LINES:,} open lines in {time.perf_counter() - t0:.1f} s")
        deps = StationDeps(
            uow, SystemClock(), domain_interpreter(LabelRules()), StationConfig("BENCH", "picker")
        )
        station = Station(deps)
        for text in ("OP-1001", "T-0001", "A-00-00-1"):  # sign in, resume the oldest work unit, start it
            station.handle(RecordScan(text))
        settle_heap()  # as `aisle station` does after start-up
        right, wrong = _gtin(0), _gtin(99_999)
        samples, refused = [], 0
        for i in range(SCANS):
            text = wrong if i % 10 == 9 else right  # one in ten is a wrong item (refused, still recorded)
            t1 = time.perf_counter()
            verdict = station.handle(RecordScan(text))
            samples.append(time.perf_counter() - t1)
            refused += not verdict.accepted
        p50, p99 = _percentiles(samples)
        b50, b99 = _percentiles(_bare_commit(Path(tmp) / "bare.db", SCANS))
    verdict = "OK" if p99 <= TARGET_P99_MS else "MISSED"
    print(
        f"scan-to-verdict ({SCANS:,} scans, {refused} refused): p50 {p50:.2f} ms  p99 {p99:.2f} ms"
        f"   target p99 <= {TARGET_P99_MS:.0f} ms  [{verdict}]"
    )
    print(f"bare SQLite WAL synchronous=FULL commit of two rows: p50 {b50:.2f} ms  p99 {b99:.2f} ms")
    print(f"engine overhead over the bare commit: p50 x{p50 / b50:.1f}, p99 x{p99 / b99:.1f}")


if __name__ == "__main__":
    run()
