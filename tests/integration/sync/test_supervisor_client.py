"""The supervisor's HTTP adapter against the real server app: the floor view and every action."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.server.work.models import FloorException
from app.station.services.floor import SupervisorError
from sync.supervisor_client import HttpSupervisorSource
from tests.integration.server.conftest import Server, db_url, order_body, pg_url, server, stocked  # noqa: F401
from tests.integration.sync.conftest import new_station


@pytest.fixture
def srv(stocked: Server) -> Server:  # noqa: F811 - the server tests' fixture, imported above
    """The real server app with locations, products and stock (SQLite and PostgreSQL)."""
    return stocked


def source(srv: Server, role: str = "supervisor") -> HttpSupervisorSource:
    client: Any = srv.client
    client.headers.update(srv.auth(role))
    return HttpSupervisorSource(client)


def add_exception(srv: Server, order_id: int) -> int:
    with srv.db.session_scope(write=True) as session:
        exc = FloorException(
            kind="short", station_id="ST01", order_id=order_id, line_id=None, message="Short"
        )
        session.add(exc)
        session.flush()
        return int(exc.id)


def test_the_floor_shows_open_orders_and_open_exceptions_and_ack_clears_one(srv: Server) -> None:
    order = srv.post("/orders", order_body("S-1")).json()
    exc_id = add_exception(srv, order["id"])
    sup = source(srv)
    floor = sup.floor()
    assert isinstance(floor.stations, list)
    assert [(o.order_id, o.priority) for o in floor.orders] == [(str(order["id"]), "normal")]
    assert [(e.exception_id, e.kind, e.order_id) for e in floor.exceptions] == [
        (str(exc_id), "short", str(order["id"]))
    ]
    assert "acknowledged" in sup.acknowledge(str(exc_id))
    assert sup.floor().exceptions == []


def test_hold_release_and_priority_change_the_order_on_the_server(srv: Server) -> None:
    order_id = str(srv.post("/orders", order_body("S-2")).json()["id"])
    sup = source(srv)
    sup.hold_order(order_id, "customer called")
    assert srv.get(f"/orders/{order_id}").json()["status"] == "on_hold"
    sup.release_order(order_id)
    assert srv.get(f"/orders/{order_id}").json()["status"] != "on_hold"
    sup.set_priority(order_id, "urgent")
    assert srv.get(f"/orders/{order_id}").json()["priority"] == "urgent"


def test_refusals_and_an_unreachable_server_are_errors_that_say_why(srv: Server) -> None:
    with pytest.raises(SupervisorError, match="404"):
        source(srv).acknowledge("999999")
    down = HttpSupervisorSource(httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5))
    with pytest.raises(SupervisorError, match="cannot reach the server"):
        down.floor()


def test_each_station_shows_the_database_size_it_last_reported(srv: Server) -> None:
    newer, older = new_station(srv, "ST07"), new_station(srv, "ST08")
    assert newer.push([newer.event("ScanNoted", {"code": "x"})], db_bytes=12 * 2**20).status_code == 200
    assert newer.push([], db_bytes=None).status_code == 200  # null is "not said": the last size stays
    assert older.push([older.event("ScanNoted", {"code": "x"})]).status_code == 200  # an older station
    rows = {s.station_id: s for s in source(srv).floor().stations}
    assert (rows["ST07"].db_bytes, rows["ST08"].db_bytes) == (12 * 2**20, None)
