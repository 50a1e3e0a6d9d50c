"""Server ingest of pushed events on PostgreSQL, and draining a station's queue after reconnect.

One `aisle server` process (uvicorn, one worker), driven through the real HTTP endpoint
(POST /api/v1/sync/push). A round is 4,000 lines (1,000 four-line orders over 200 SKUs, so the stations'
batches take units off the same stock slots) leased to the floor's stations
(4 by default), each pushing what its picker recorded, 500 events per batch, one sender per station (S3),
all stations at once as on a floor: per order the tote assigned, per line the location confirmed and 4 × item
picked, a wrong item refused on every fifth line, one other scan noted, and the tote closed (the order becomes
picked). Dedupe, digest check, lease fencing, stock moves, reservations, order-line and order updates
included. Three rounds, medians printed; then one round from a single station alone, whose pushes wait for
each other's answers (its rate is bound by one push's latency, not by what the server can take). Beside them
the same event rows written raw into a bare table in the same run — executemany of an INSERT, and COPY (the
fastest way in) — so the ratio shows the cost of the rules (the machine may be shared: compare the ratios as
well as the figures). Then a real station (SQLite outbox, sync.client.SyncClient) that queued 10,000 events
offline drains them.

Targets (issue 4): ingest >= 10,000 events/s; drain of 10,000 queued events <= 3 s.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from app.server.access.auth import create_token
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.station.services.ids import time_ordered_uuid
from sync import schemas as w
from tests.bench.bench_intake import _start_server
from tests.support.live_server import free_port
from tests.support.pg import PostgresUnavailable, create_database, drop_database

LINES = int(os.environ.get("AISLE_BENCH_SYNC_LINES", "4000"))
#: ingest is measured this many times (a fresh replica and fresh lines each) and the median printed: a shared
#: 2-CPU machine's speed drifts by a quarter between runs, and one round catches whatever moment it falls on
ROUNDS = int(os.environ.get("AISLE_BENCH_SYNC_ROUNDS", "3"))
DRAIN = int(os.environ.get("AISLE_BENCH_SYNC_DRAIN", "10000"))
#: stations pushing at once in a round (each its own token, replica and leased lines)
STATIONS = int(os.environ.get("AISLE_BENCH_SYNC_STATIONS", "4"))
#: the catalogue the orders draw on, one stock slot each: few SKUs, so stations pick from the same slots
SKUS = int(os.environ.get("AISLE_BENCH_SYNC_SKUS", "200"))
BATCH = w.MAX_BATCH_EVENTS
TARGET_RATE, TARGET_DRAIN_S = 10_000, 3.0
UNITS_PER_LINE = 4


def _station(k: int) -> str:
    return f"BENCH-{k + 1}"


def _prepare(db: Database, orders: int) -> dict[str, str]:
    """A catalogue with stock, `orders` released 4-line orders, and tokens for the stations and the drain."""
    from app.domain.batching import BatchLimits
    from app.domain.catalogue import Location, Product
    from app.domain.orders import Address, Customer, OrderLineRequest, OrderRequest
    from app.server.catalogue.upserts import upsert_locations, upsert_products
    from app.server.orders.intake import take_order
    from app.server.stock.moves import receive
    from app.server.work.release import release

    with db.session_scope(write=True) as s:
        upsert_locations(
            s, [Location(f"A-{i // 40:02d}-{i % 40:02d}-1", "A", sequence=i) for i in range(SKUS)]
        )
        upsert_products(s, [Product(f"SKU-{i:04d}", f"Bench product {i}") for i in range(SKUS)])
        for i in range(SKUS):
            receive(s, sku=f"SKU-{i:04d}", location=f"A-{i // 40:02d}-{i % 40:02d}-1", qty=1_000_000)
        tokens = {_station(k): create_token(s, "station", _station(k)) for k in range(STATIONS)}
        tokens["drain"] = create_token(s, "station", "DRAIN")
    for start in range(0, orders, 250):
        with db.session_scope(write=True) as s:
            for n in range(start, min(orders, start + 250)):
                lines = [OrderLineRequest(f"SKU-{(n * 4 + k) % SKUS:04d}", UNITS_PER_LINE) for k in range(4)]
                req = OrderRequest("bench", f"S{n}", tuple(lines), Customer("B"), Address(country="DE"))
                take_order(s, req)
    with db.session_scope(write=True) as s:
        release(s, BatchLimits(small_order_max_lines=1), limit=orders)
    with db.engine.connect() as conn:
        # planner statistics, as autovacuum keeps them on a live database: without them PostgreSQL guesses the
        # freshly filled tables are tiny and scans them whole for every batch
        conn.execute(text("ANALYZE"))
        conn.commit()
    return tokens


def _settle(db: Database) -> None:
    """A checkpoint: what was written before is flushed now, not during the next measurement."""
    with db.engine.connect() as conn:
        conn.execute(text("CHECKPOINT"))
        conn.commit()


def _claim_all(http: dict[str, httpx.Client]) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Claim every released work unit: a round's worth (LINES lines) by the first station, for the round it
    pushes alone, then the rest by all the stations in turn. Returns (the first's, the rest by station)."""
    replicas = {station: str(uuid.uuid4()) for station in http}
    for station, client in http.items():
        _register(client, station, replicas[station])

    def claim(station: str) -> dict[str, Any] | None:
        body = {"station_id": station, "replica_id": replicas[station], "app_version": "bench"}
        return http[station].post("/api/v1/work/claim", json={**body, "operator": "OP-1"}).json()["work"]

    first = _station(0)
    alone: list[dict[str, Any]] = []
    while sum(len(w["lines"]) for w in alone) < LINES and (work := claim(first)) is not None:
        alone.append(work)
    works: dict[str, list[dict[str, Any]]] = {station: [] for station in http}
    open_ = list(http)
    while open_:
        for station in list(open_):
            if (work := claim(station)) is None:
                open_.remove(station)
            else:
                works[station].append(work)
    return alone, works


def _events(works: list[dict[str, Any]], station: str) -> list[dict[str, Any]]:
    """What a picker's station records for `works`, in the shape sync.client pushes."""
    out: list[dict[str, Any]] = []
    work_id = 0

    def add(type_: str, payload: dict[str, Any], line: dict[str, Any] | None = None) -> None:
        lease = (line["line_id"], line["token"]) if line else None
        scan = line["sku"] if line else payload.get("tote", "HELP")
        # what app.station.services.recording puts in every event of a scan
        common = {"station_id": station, "operator": "OP-1", "role": "picker", "scan_id": time_ordered_uuid()}
        payload = {**common, "scan": scan, "source": "serial", "work_id": work_id, **payload}
        if line:
            payload |= {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"]}
        event_id, wall = time_ordered_uuid(), time.time()
        out.append(
            {
                "seq": len(out) + 1,
                "event_id": event_id,
                "type": type_,
                "v": 1,
                "lease": {"line_id": lease[0], "token": lease[1]} if lease else None,
                "payload": payload,
                "created_wall": wall,
                "sha256": w.event_sha256(event_id, type_, 1, lease, payload, wall),
            }
        )

    n = 0
    for work in works:
        work_id = work["work_id"]
        for order_id in work["orders"]:
            tote = {"work_id": work["work_id"], "order_id": order_id, "tote": f"T-{order_id}"}
            add("ToteAssigned", tote)
            for line in (ln for ln in work["lines"] if ln["order_id"] == order_id):
                add("LocationConfirmed", {"location": line["location"]}, line)
                n += 1
                if n % 5 == 0:
                    add("ScanRefused", {"code": "wrong_item", "message": "Wrong item: SKU-9999."}, line)
                for k in range(1, line["qty"] + 1):
                    add("ItemPicked", {"units": 1, "picked": k, "location": line["location"]}, line)
            add("ScanNoted", {"code": "help_shown", "outcome": "info"})
            add("ToteClosed", tote)
    return out


def _mix(events: list[dict[str, Any]]) -> str:
    counts = Counter(e["type"] for e in events)
    return ", ".join(f"{n} {t}" for t, n in counts.most_common())


def _bodies(station: str, replica_id: str, events: list[dict[str, Any]]) -> list[bytes]:
    return [
        json.dumps(
            {
                "station_id": station,
                "replica_id": replica_id,
                "app_version": "bench",
                "events": events[i : i + BATCH],
            }
        ).encode()
        for i in range(0, len(events), BATCH)
    ]


def _push_all(http: dict[str, httpx.Client], bodies: dict[str, list[bytes]]) -> tuple[float, set[str]]:
    """Every station sends its bodies one after the other, all stations at once: (seconds, outcomes)."""
    outcomes: set[str] = set()
    failures: list[str] = []

    def send(station: str) -> None:
        for body in bodies[station]:
            resp = http[station].post(
                "/api/v1/sync/push", content=body, headers={"Content-Type": "application/json"}
            )
            if resp.status_code != 200:
                failures.append(f"{station}: {resp.status_code} {resp.text[:300]}")
                return
            outcomes.update(r["outcome"] for r in resp.json()["results"])

    senders = [threading.Thread(target=send, args=(station,)) for station in bodies]
    started = time.perf_counter()
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    elapsed = time.perf_counter() - started
    assert not failures, failures
    return elapsed, outcomes


def _raw_insert(db: Database, events: list[dict[str, Any]], table: str, *, copy: bool = False) -> float:
    """The bound: the same rows, batched into a bare table with the same unique keys, per batch of BATCH
    rows in a transaction of its own: executemany of an INSERT, or (`copy`) COPY, the fastest way in."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TABLE {table} (id bigserial PRIMARY KEY, replica_id text, seq bigint, "
                "event_id text UNIQUE, type text, payload json, sha256 text, UNIQUE (replica_id, seq))"
            )
        )
    rows = [
        (
            e["payload"]["station_id"],  # as the replica: each station numbers its own seqs from 1
            e["seq"],
            e["event_id"],
            e["type"],
            json.dumps(e["payload"]),
            e["sha256"],
        )
        for e in events
    ]
    columns = "replica_id, seq, event_id, type, payload, sha256"
    stmt = text(f"INSERT INTO {table} ({columns}) VALUES (:r, :s, :e, :t, :p, :h)")
    params = [dict(zip(("r", "s", "e", "t", "p", "h"), r, strict=True)) for r in rows]
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        with db.engine.begin() as conn:
            if copy:
                raw = conn.connection.driver_connection
                assert raw is not None
                with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
                    for row in rows[i : i + BATCH]:
                        out.write_row(row)
            else:
                conn.execute(stmt, params[i : i + BATCH])
    return time.perf_counter() - started


def _drain(base: str, token: str, n: int) -> tuple[float, int]:
    """A station that queued `n` events offline reconnects: seconds until the server acknowledged all."""
    from app.station.services.clock import SystemClock
    from app.station.services.ports import OutboxEntry
    from app.station.store.db import open_station_db
    from app.station.store.sync_store import SqlSyncStore
    from app.station.store.uow import SqlUnitOfWorkFactory
    from sync.client import PushState, SyncClient

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_station_db(Path(tmp) / "station.db")
        uow = SqlUnitOfWorkFactory(engine)
        for start in range(0, n, 1000):
            with uow() as u:
                for k in range(start, min(n, start + 1000)):
                    payload = {"station_id": "DRAIN", "code": "wrong_item", "message": f"scan {k}"}
                    u.outbox.append(OutboxEntry(time_ordered_uuid(), "ScanRefused", 1, payload, time.time()))
                u.commit()
        store = SqlSyncStore(engine)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            client = SyncClient(http, store, SystemClock(), station_id="DRAIN", app_version="bench")
            started = time.perf_counter()
            client.register()
            while client.push_once() is PushState.SENT:
                pass
            elapsed = time.perf_counter() - started
            acked = store.acked_through()
        engine.dispose()
    return elapsed, acked


def _register(http: httpx.Client, station: str, replica: str) -> None:
    body = {"station_id": station, "replica_id": replica, "app_version": "bench"}
    assert http.post("/api/v1/sync/register", json=body).status_code == 200


Round = tuple[int, float, float, float, set[str], str]


def _round(
    db: Database, http: dict[str, httpx.Client], works: dict[str, list[dict[str, Any]]], r: int
) -> Round:
    """Push the stations' `works` (each from a fresh replica), then write the same rows raw:
    (events, ingest s, raw INSERT s, raw COPY s, outcomes, event mix)."""
    bodies, everything = {}, []
    for station, mine in works.items():
        replica = str(uuid.uuid4())
        _register(http[station], station, replica)
        events = _events(mine, station)
        bodies[station] = _bodies(station, replica, events)
        everything += events
    _settle(db)
    elapsed, outcomes = _push_all({s: http[s] for s in bodies}, bodies)
    _settle(db)
    raw_s = _raw_insert(db, everything, f"bench_raw_{r}")
    _settle(db)
    copy_s = _raw_insert(db, everything, f"bench_copy_{r}", copy=True)
    return len(everything), elapsed, raw_s, copy_s, outcomes, _mix(everything)


def _rounds(db: Database, http: dict[str, httpx.Client]) -> tuple[list[Round], Round]:
    """Claim all the work, then ROUNDS rounds of all the stations at once, and one of the first station
    alone."""
    alone, works = _claim_all(http)
    share = {s: -(-len(w) // ROUNDS) for s, w in works.items()}
    rounds = []
    for r in range(ROUNDS):
        mine = {s: w[r * share[s] : (r + 1) * share[s]] for s, w in works.items()}
        rounds.append(_round(db, http, mine, r))
    return rounds, _round(db, http, {_station(0): alone}, ROUNDS)


def measure(url: str) -> None:
    db = Database(url)
    upgrade(db)
    tokens = _prepare(db, (ROUNDS + 1) * LINES // 4)
    port = free_port()
    proc = _start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    http = {
        _station(k): httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {tokens[_station(k)]}"}, timeout=120
        )
        for k in range(STATIONS)
    }
    try:
        rounds, alone = _rounds(db, http)
        drain_s, acked = _drain(base, tokens["drain"], DRAIN)
    finally:
        for client in http.values():
            client.close()
        proc.terminate()
        proc.wait(10)
    db.dispose()
    rates = [n / elapsed for n, elapsed, *_ in rounds]
    rate = statistics.median(rates)
    n, outcomes, mix = rounds[0][0], set().union(*(r[4] for r in rounds)), rounds[0][5]
    ok = "OK" if rate >= TARGET_RATE else "BELOW TARGET"
    each = ", ".join(f"{x:.0f}" for x in rates)
    print(
        f"ingest      {rate:8.0f} events/s  (median of {ROUNDS} rounds: {each}; each ~{n} events through "
        f"POST /sync/push from {STATIONS} stations at once, each from a fresh replica, batches of {BATCH}, "
        f"{mix}, outcomes {sorted(outcomes)})   target >= {TARGET_RATE}  {ok}"
    )
    print(
        f"one station {alone[0] / alone[1]:8.0f} events/s  ({alone[0]} events from one station alone: each "
        f"push waits for the answer to the one before: one push's latency, not the server's capacity; "
        f"outcomes {sorted(alone[4])})"
    )
    for label, raw_seconds, how in (
        ("raw INSERT", [r[2] for r in rounds], "executemany"),
        ("raw COPY", [r[3] for r in rounds], "COPY"),
    ):
        raws = [r[0] / seconds for r, seconds in zip(rounds, raw_seconds, strict=True)]
        ratio = statistics.median(x / raw for x, raw in zip(rates, raws, strict=True))
        each = ", ".join(f"{x:.0f}" for x in raws)
        print(
            f"{label:11s} {statistics.median(raws):8.0f} rows/s    (median, rounds: {each}; the same rows "
            f"right after each round, {how} per {BATCH}, no rules)   ingest is {ratio:.0%} of it"
        )
    ok = "OK" if drain_s <= TARGET_DRAIN_S and acked == DRAIN else "BELOW TARGET"
    print(
        f"drain       {drain_s:8.2f} s         ({acked} of {DRAIN} queued events acknowledged, real station "
        f"outbox and sync client)   target <= {TARGET_DRAIN_S} s  {ok}"
    )


def run() -> None:
    """Print server ingest and queue drain on PostgreSQL (one uvicorn process)."""
    try:
        url = create_database("aisle_bench_")
    except PostgresUnavailable as exc:
        print(f"PostgreSQL  skipped: {exc}")
        return
    try:
        measure(url)
    finally:
        drop_database(url)


if __name__ == "__main__":
    run()
