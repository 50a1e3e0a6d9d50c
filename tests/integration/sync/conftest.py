"""Fixtures for sync and work-assignment tests: the server fixtures (SQLite and PostgreSQL) plus station
credentials, a settable server clock, released work, and an event builder with the wire digest."""

# ruff: noqa: F811  (the server fixtures are imported so pytest finds them here; parameters reuse their names)
from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.server.access.auth import create_token
from sync import schemas as w
from tests.integration.server.conftest import (  # noqa: F401  (fixtures re-exported for this package)
    Server,
    db_url,
    order_body,
    pg_url,
    server,
    stocked,
)

T0 = 1_800_000_000.0


@dataclass
class Clock:
    """The server clock under test control."""

    now: float = T0

    def __call__(self) -> float:
        return self.now


@dataclass
class Station:
    """A station as the server sees it: id, credential, replica, and its own outbox sequence."""

    server: Server
    station_id: str
    token: str
    replica_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    seq: int = 0
    cursor: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, body: Any) -> Any:
        return self.server.client.post(f"/api/v1{path}", json=body, headers=self.headers)

    def register(self) -> Any:
        return self.post(
            "/sync/register",
            {"station_id": self.station_id, "replica_id": self.replica_id, "app_version": "t"},
        )

    def event(
        self, type_: str, payload: dict[str, Any], lease: tuple[str, int] | None = None
    ) -> dict[str, Any]:
        """The next outbox event of this replica, as the station would push it."""
        self.seq += 1
        return make_event(self.seq, type_, payload, lease)

    def push(self, events: list[dict[str, Any]], **extra: Any) -> Any:
        body = {
            "station_id": self.station_id,
            "replica_id": self.replica_id,
            "app_version": "t",
            "outbox_depth": len(events),
            "events": events,
            **extra,
        }
        return self.post("/sync/push", body)

    def pull(self, cursor: str | None = None) -> Any:
        params = {"station_id": self.station_id, "replica_id": self.replica_id}
        if cursor or self.cursor:
            params["cursor"] = cursor or self.cursor or ""
        resp = self.server.client.get("/api/v1/sync/pull", params=params, headers=self.headers)
        if resp.status_code == 200:
            self.cursor = resp.json()["cursor"]
        return resp

    def claim(self, operator: str = "OP-1001") -> dict[str, Any] | None:
        resp = self.post(
            "/work/claim",
            {"station_id": self.station_id, "replica_id": self.replica_id, "operator": operator},
        )
        assert resp.status_code == 200, resp.text
        work: dict[str, Any] | None = resp.json()["work"]
        return work


def make_event(
    seq: int, type_: str, payload: dict[str, Any], lease: tuple[str, int] | None = None, *, v: int = 1
) -> dict[str, Any]:
    event_id, wall = str(uuid.uuid4()), T0 + seq
    digest = w.event_sha256(event_id, type_, v, lease, payload, wall)
    return {
        "seq": seq,
        "event_id": event_id,
        "type": type_,
        "v": v,
        "lease": {"line_id": lease[0], "token": lease[1]} if lease else None,
        "payload": payload,
        "created_wall": wall,
        "sha256": digest,
    }


@pytest.fixture
def clock(server: Server) -> Clock:
    """The server's clock, frozen at T0 until a test moves it."""
    c = Clock()
    server.app.state.clock = c
    return c


def new_station(server: Server, station_id: str, *, register: bool = True) -> Station:
    with server.db.session_scope(write=True) as session:
        token = create_token(session, "station", station_id)
    station = Station(server, station_id, token)
    if register:
        assert station.register().status_code == 200
    return station


@pytest.fixture
def st1(stocked: Server, clock: Clock) -> Station:
    return new_station(stocked, "ST01")


@pytest.fixture
def st2(stocked: Server, clock: Clock) -> Station:
    return new_station(stocked, "ST02")


def release_orders(server: Server, *bodies: dict[str, Any]) -> list[int]:
    """Take orders in, release them to the floor; returns the order ids."""
    ids = []
    for body in bodies:
        resp = server.post("/orders", body, role="integration")
        assert resp.status_code == 201, resp.text
        assert resp.json()["status"] == "accepted", resp.json()
        ids.append(resp.json()["id"])
    resp = server.post("/work/release", {"order_ids": ids}, role="supervisor")
    assert resp.status_code == 200, resp.text
    return ids


def order(server: Server, order_id: int) -> dict[str, Any]:
    resp = server.get(f"/orders/{order_id}")
    assert resp.status_code == 200
    body: dict[str, Any] = resp.json()
    return body


def stock_of(server: Server, sku: str) -> dict[str, tuple[int, int]]:
    """{location: (on_hand, reserved)} of a SKU."""
    return {s["location"]: (s["on_hand"], s["reserved"]) for s in server.get("/stock", sku=sku).json()}


def pick_all(station: Station, work: dict[str, Any], tote: str = "T-0001") -> list[dict[str, Any]]:
    """The events of picking every line of `work` into `tote` and closing it."""
    evs = [
        station.event("ToteAssigned", {"work_id": work["work_id"], "order_id": o, "tote": tote})
        for o in work["orders"]
    ]
    for ln in work["lines"]:
        lease = (ln["line_id"], ln["token"])
        base = {"line_id": ln["line_id"], "order_id": ln["order_id"], "sku": ln["sku"]}
        evs.append(station.event("LocationConfirmed", {**base, "location": ln["location"]}, lease))
        evs.append(
            station.event(
                "ItemPicked", {**base, "units": ln["qty"], "picked": ln["qty"], "qty": ln["qty"]}, lease
            )
        )
    for o in work["orders"]:
        evs.append(
            station.event(
                "ToteClosed", {"work_id": work["work_id"], "order_id": o, "tote": tote, "lines": []}
            )
        )
    return evs


@pytest.fixture
def released(stocked: Server) -> Iterator[list[int]]:
    """One accepted order (2 × MUG-RED) released to the floor."""
    yield release_orders(stocked, order_body("1001", lines=[("MUG-RED", 2)]))
