"""Many stations claiming at once against two real uvicorn server processes on one PostgreSQL database:
no line is ever leased to two stations, and every line is leased once (S8, "scale out" in issue 4)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import select

from app.server.access.auth import create_token
from app.server.work.models import WorkLine
from tests.integration.server.conftest import Server, make_settings, order_body
from tests.support.live_server import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

STATIONS, ORDERS, LINES_PER_ORDER = 50, 250, 4

_SERVE = """
import sys, uvicorn
from app.config import ServerSettings
from app.server.app import create_app
settings = ServerSettings.model_validate({"database_url": sys.argv[1], "migrate_on_start": False})
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


@contextmanager
def server_process(url: str) -> Iterator[str]:
    """`create_app` served by uvicorn in a child process; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", _SERVE, url, str(port)], env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("server process did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def pg_server(pg_url: str) -> Iterator[Server]:
    from fastapi.testclient import TestClient

    from app.server.app import create_app

    app = create_app(make_settings(pg_url))
    with TestClient(app) as client:
        yield Server(app, app.state.db, client)


def _stock_floor(server: Server) -> None:
    skus = [f"SKU-{n:03d}" for n in range(40)]
    locs = [{"code": f"A-{n // 10:02d}-{n % 10:02d}-1", "sequence": n} for n in range(40)]
    assert server.post("/locations", locs).status_code == 200
    assert server.post("/products", [{"sku": s, "name": s, "barcodes": []} for s in skus]).status_code == 200
    for sku, loc in zip(skus, locs, strict=True):
        assert (
            server.post("/stock/receipts", {"sku": sku, "location": loc["code"], "qty": 500}).status_code
            == 201
        )
    for n in range(ORDERS):
        lines = [(skus[(n + k * 7) % 40], 1) for k in range(LINES_PER_ORDER)]
        assert server.post("/orders", order_body(f"r{n}", lines=lines), role="integration").status_code == 201
    resp = server.post("/work/release", {"limit": 5000}, role="supervisor")
    assert resp.json()["released"] == ORDERS


def test_fifty_stations_racing_for_a_thousand_lines_never_share_one(pg_server: Server, pg_url: str) -> None:
    _stock_floor(pg_server)
    tokens = {}
    with pg_server.db.session_scope(write=True) as session:
        for n in range(STATIONS):
            tokens[f"ST{n:02d}"] = create_token(session, "station", f"ST{n:02d}")

    def claimer(base: str, station_id: str) -> list[tuple[str, int]]:
        got: list[tuple[str, int]] = []
        headers = {"Authorization": f"Bearer {tokens[station_id]}"}
        body = {"station_id": station_id, "replica_id": f"r-{station_id}", "operator": "OP-1"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while True:
                resp = http.post("/api/v1/work/claim", json=body)
                assert resp.status_code == 200, resp.text
                work = resp.json()["work"]
                if work is None:
                    return got
                got += [(ln["line_id"], ln["token"]) for ln in work["lines"]]

    with server_process(pg_url) as a, server_process(pg_url) as b, ThreadPoolExecutor(STATIONS) as pool:
        futures = {sid: pool.submit(claimer, (a, b)[n % 2], sid) for n, sid in enumerate(tokens)}
        results = {sid: f.result(timeout=240) for sid, f in futures.items()}

    granted = Counter(line for lines in results.values() for line, _token in lines)
    assert len(granted) == ORDERS * LINES_PER_ORDER
    assert max(granted.values()) == 1, [line for line, n in granted.items() if n > 1][:10]
    tokens_seen = [t for lines in results.values() for _line, t in lines]
    assert len(set(tokens_seen)) == len(tokens_seen)
    holders = {str(line): sid for sid, lines in results.items() for line, _ in lines}
    with pg_server.db.session_scope() as s:
        on_server = {str(i): h for i, h in s.execute(select(WorkLine.id, WorkLine.holder))}
    assert on_server == holders
    assert sum(1 for lines in results.values() if lines) > 1  # the work really was spread across stations
