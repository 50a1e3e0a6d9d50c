"""Two `aisle server` processes on one database with [shipping] ranges, and clients that issue numbers and
lease blocks through both at once: shared by tests/integration/scaleout/test_numbers_two_servers.py and
tests/bench/bench_numbers.py."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from app.cli.simulation.processes import ServerProcess

T = TypeVar("T")

PREFIX = "0614141"
SSCC = f"sscc-{PREFIX}"
ENV = {
    "AISLE_SHIPPING__COMPANY_PREFIX": PREFIX,
    "AISLE_SHIPPING__SSCC_EXTENSION_DIGIT": "3",
    "AISLE_SHIPPING__TRACKING_RANGES": "post:s10:RA:GB",
    "AISLE_SHIPPING__SERVER_BLOCK_SIZE": "10",  # small: the two servers go back to the range often
}


@contextmanager
def two_servers(db_url: str, log_dir: Path) -> Iterator[list[ServerProcess]]:
    """Two server processes on `db_url` (already migrated), killed when the block ends."""
    servers = [ServerProcess(db_url, log_dir, env=ENV) for _ in range(2)]
    try:
        for s in servers:
            s.start(timeout=60)
        yield servers
    finally:
        for s in servers:
            s.kill()


def at_once(jobs: int, threads: int, job: Callable[[int], T]) -> list[T]:
    """Run job(0 … jobs-1) on `threads` threads released together; the results in job order."""
    results: list[Any] = [None] * jobs
    errors: list[BaseException] = []
    gate = threading.Barrier(threads)

    def worker(k: int) -> None:
        try:
            gate.wait(30)
            for i in range(k, jobs, threads):
                results[i] = job(i)
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(300)
    if errors or any(t.is_alive() for t in pool):
        raise RuntimeError(f"a client failed: {errors[:3]}")
    return results


class Clients:
    """One keep-alive client per (server, thread), so requests alternate between the two processes."""

    def __init__(self, urls: list[str], token: str) -> None:
        self.urls, self.token = urls, token
        self.local = threading.local()

    def client(self, i: int) -> httpx.Client:
        pool: dict[str, httpx.Client] | None = getattr(self.local, "pool", None)
        if pool is None:
            pool = self.local.pool = {}
        url = self.urls[i % len(self.urls)]
        if url not in pool:
            pool[url] = httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60
            )
        return pool[url]

    def post(self, i: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = self.client(i).post(f"/api/v1{path}", json=body)
        if resp.status_code not in (200, 201):
            raise RuntimeError(f"POST {path} answered {resp.status_code}: {resp.text}")
        out: dict[str, Any] = resp.json()
        return out


def issue_many(urls: list[str], token: str, kind: str, n: int, threads: int = 8) -> list[str]:
    """Issue `n` numbers of `kind` for server-side labels, alternating between the servers, all at once."""
    clients = Clients(urls, token)
    return at_once(
        n, threads, lambda i: str(clients.post(i, f"/numbers/{kind}", {"parcel_ref": f"P{i}"})["number"])
    )
