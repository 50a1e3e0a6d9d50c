"""Order-intake throughput: orders/s (3 lines each, stock reservation included) through real HTTP.

One `aisle server` process (uvicorn, one worker, access log off) per backend; 8 client threads in this
process, each with one keep-alive connection, post pre-built orders (new ones: idempotency check, payment
check, row-locked reservation, events, response after COMMIT). Target on a 2-core machine: >= 300 orders/s
on PostgreSQL. Besides the rate it prints the CPU time the server process and this client process spent per
order, so a reader can see which side a figure is bound by (the client, the server and the database share
the same cores).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from app.server.access.auth import create_token
from app.server.catalogue.upserts import upsert_locations, upsert_products
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.server.stock.moves import receive
from tests.support.live_server import free_port
from tests.support.pg import PostgresUnavailable, create_database, drop_database

ORDERS = int(os.environ.get("AISLE_BENCH_ORDERS", "2000"))
CLIENTS = int(os.environ.get("AISLE_BENCH_CLIENTS", "8"))
SKUS = 400
TARGET_PG = 300
EXTRA_SERVER_ARGS: list[str] = ["--no-access-log"]


def _prepare(url: str) -> str:
    """Migrate, add a catalogue with plenty of stock, and return an integration token."""
    from app.domain.catalogue import Location, Product

    db = Database(url)
    upgrade(db)
    with db.session_scope(write=True) as s:
        upsert_locations(
            s, [Location(f"A-{i // 40 + 1:02d}-{i % 40 + 1:02d}-1", "A", sequence=i) for i in range(SKUS)]
        )
        upsert_products(s, [Product(f"SKU-{i:05d}", f"Bench product {i}") for i in range(SKUS)])
        for i in range(SKUS):
            receive(s, sku=f"SKU-{i:05d}", location=f"A-{i // 40 + 1:02d}-{i % 40 + 1:02d}-1", qty=1_000_000)
        token = create_token(s, "integration", "bench")
    db.dispose()
    return token


def _orders(n: int) -> list[bytes]:
    rng = random.Random(7)
    bodies = []
    for i in range(n):
        skus = rng.sample(range(SKUS), 3)
        body = {
            "channel": "bench",
            "external_id": f"B{i}",
            "customer": {"name": "Bench Customer", "email": "bench@example.com"},
            "ship_to": {
                "name": "Bench",
                "line1": "1 Road",
                "city": "Town",
                "postal_code": "1000",
                "country": "DE",
            },
            "lines": [{"sku": f"SKU-{s:05d}", "qty": rng.randint(1, 3)} for s in skus],
        }
        bodies.append(json.dumps(body).encode())
    return bodies


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AISLE_SERVER__MIGRATE_ON_START": "false"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from app.cli import main; sys.exit(main())",
            "server",
            "--db",
            url,
            "--port",
            str(port),
            *EXTRA_SERVER_ARGS,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def _post_all(port: int, token: str, bodies: list[bytes]) -> tuple[float, dict[int, int]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def worker(chunk: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for body in chunk:
            conn.request("POST", "/api/v1/orders", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            with lock:
                codes[resp.status] = codes.get(resp.status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(bodies[i::CLIENTS],)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, codes


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid` (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(url: str, label: str, target: int | None) -> float:
    token = _prepare(url)
    port = free_port()
    proc = _start_server(url, port)
    try:
        _post_all(port, token, [b.replace(b'"B', b'"warm') for b in _orders(100)])  # warm-up
        bodies = _orders(ORDERS)
        server_before, client_before = _cpu_seconds(proc.pid), _own_cpu_seconds()
        elapsed, codes = _post_all(port, token, bodies)
        server_after, client_after = _cpu_seconds(proc.pid), _own_cpu_seconds()
    finally:
        proc.terminate()
        proc.wait(10)
    rate = ORDERS / elapsed
    verdict = "" if target is None else ("  OK" if rate >= target else "  BELOW TARGET")
    goal = f"target >= {target} orders/s" if target else "no target"
    cpu = f"client {1000 * (client_after - client_before) / ORDERS:.2f}"
    if server_before is not None and server_after is not None:
        cpu = f"server {1000 * (server_after - server_before) / ORDERS:.2f}, {cpu}"
    print(
        f"{label:<11} {rate:7.0f} orders/s  ({ORDERS} orders x 3 lines, {CLIENTS} clients, {elapsed:.1f} s, "
        f"HTTP {codes}; CPU ms/order: {cpu})   {goal}{verdict}",
        flush=True,
    )
    return rate


def run() -> None:
    """Print intake throughput on SQLite and PostgreSQL (real HTTP to one uvicorn process)."""
    print(
        f"order intake: new orders of 3 lines (idempotency check, payment check, row-locked reservation, "
        f"events, reply after COMMIT) POSTed over HTTP by {CLIENTS} keep-alive client threads to one "
        f"`aisle server` process (uvicorn, 1 worker, {' '.join(EXTRA_SERVER_ARGS)})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", None)
    try:
        url = create_database("aisle_bench_")
    except PostgresUnavailable as exc:
        print(f"PostgreSQL  skipped: {exc}")
        return
    try:
        measure(url, "PostgreSQL", TARGET_PG)
    finally:
        drop_database(url)


if __name__ == "__main__":
    run()
