"""Many orders at once over real HTTP: stock is never oversold and crossing SKU orders do not deadlock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.integration.server.conftest import Server, order_body
from tests.support.live_server import live_server

pytestmark = pytest.mark.slow


def _post_all(base: str, headers: dict[str, str], bodies: list[dict]) -> list[httpx.Response]:
    def post(body: dict) -> httpx.Response:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            return client.post("/api/v1/orders", json=body)

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(post, bodies))


def test_parallel_orders_never_oversell(stocked: Server) -> None:
    # MUG-BLU: 2 on hand; MUG-RED: 5 on hand. 24 orders race for them, half of them crossing the SKUs.
    bodies = [
        order_body(
            f"race-{n}", lines=[("MUG-BLU", 1), ("MUG-RED", 1)] if n % 2 else [("MUG-RED", 1), ("MUG-BLU", 1)]
        )
        for n in range(24)
    ]
    with live_server(stocked.app) as base:
        responses = _post_all(base, stocked.auth("integration"), bodies)
    assert [r.status_code for r in responses] == [201] * 24, [
        r.text for r in responses if r.status_code != 201
    ]
    accepted = [r.json() for r in responses if r.json()["status"] == "accepted"]
    assert len(accepted) == 2
    stock = {
        (s["sku"], s["location"]): (s["on_hand"], s["reserved"])
        for sku in ("MUG-RED", "MUG-BLU")
        for s in stocked.get("/stock", sku=sku).json()
    }
    assert stock == {("MUG-RED", "A-01-02-1"): (5, 5), ("MUG-BLU", "A-01-01-1"): (2, 2)}
    reserved_on_lines = sum(
        li["reserved"] for r in responses for li in r.json()["lines"] if li["sku"] == "MUG-RED"
    )
    assert reserved_on_lines == 5


def test_the_same_order_sent_in_parallel_is_created_once(stocked: Server) -> None:
    with live_server(stocked.app) as base:
        responses = _post_all(base, stocked.auth("integration"), [order_body("dup")] * 8)
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert stocked.get("/stock", sku="MUG-RED").json()[0]["reserved"] == 2
