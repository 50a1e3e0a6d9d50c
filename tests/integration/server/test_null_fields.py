"""JSON null in an optional field reads as "not sent", in every request model, through the real HTTP API.

Each case sends one model's optional fields (from its `model_fields`: those with a default) once left out and
once as null, to two servers set up alike, and expects the same status and the same answer (times aside).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from app.server.access import schemas as access
from app.server.access.auth import create_token
from app.server.app import create_app
from app.server.catalogue import schemas as catalogue
from app.server.orders import schemas as orders
from app.server.stock import schemas as stock
from app.server.work import schemas as work
from sync import schemas as wire
from tests.integration.server.conftest import Server, TestClient, make_settings
from tests.integration.server.test_shopify_webhook import send, shop_order
from tests.integration.sync.conftest import make_event

REPLICA = "replica-1"
STATION = {"station_id": "ST01", "replica_id": REPLICA}


@dataclass(frozen=True)
class Case:
    """Where a model sits in a valid request: POST `path` with `body`, the model's object at `at`."""

    model: type[BaseModel]
    path: str
    body: Any
    at: tuple[str | int, ...] = ()
    station: bool = False


ORDER = {"channel": "web", "external_id": "2001", "lines": [{"sku": "MUG-RED", "qty": 1}]}


def _without_lease(event: dict[str, Any]) -> dict[str, Any]:
    del event["lease"]
    return event


CASES = [
    Case(orders.OrderIn, "/orders", ORDER),
    Case(orders.CustomerIn, "/orders", {**ORDER, "customer": {}}, ("customer",)),
    Case(orders.AddressIn, "/orders", {**ORDER, "ship_to": {}}, ("ship_to",)),
    Case(orders.HoldIn, "/orders/1/hold", {}),
    Case(orders.CancelIn, "/orders/1/cancel", {}),
    Case(catalogue.ProductIn, "/products", [{"sku": "NEW-1", "name": "New"}], (0,)),
    Case(
        catalogue.BarcodeIn,
        "/products",
        [{"sku": "NEW-1", "name": "New", "barcodes": [{"code": "NEW-CODE-1"}]}],
        (0, "barcodes", 0),
    ),
    Case(catalogue.LocationIn, "/locations", [{"code": "C-01-01-1"}], (0,)),
    Case(stock.ReceiptIn, "/stock/receipts", {"sku": "MUG-RED", "location": "A-01-01-1", "qty": 1}),
    Case(stock.AdjustmentIn, "/stock/adjustments", {"sku": "MUG-RED", "location": "A-01-02-1", "delta": -1}),
    Case(work.ReleaseIn, "/work/release", {}),
    Case(work.RevokeIn, "/work/pack/1/revoke", {}),
    Case(wire.RegisterRequest, "/sync/register", {**STATION, "app_version": "t"}, station=True),
    Case(wire.ClaimRequest, "/work/claim", {**STATION, "operator": "OP-1"}, station=True),
    Case(wire.PushRequest, "/sync/push", {**STATION, "app_version": "t", "events": []}, station=True),
    Case(
        wire.PushEvent,
        "/sync/push",
        {
            **STATION,
            "app_version": "t",
            "events": [_without_lease(make_event(1, "ScanNoted", {"code": "x"}))],
        },
        ("events", 0),
        station=True,
    ),
]
#: request models whose fields are all required: nothing to send as null
ALL_REQUIRED = {
    access.OperatorIn,
    orders.LineIn,
    orders.PaymentIn,
    work.PriorityIn,
    wire.PackClaimRequest,
    wire.LeaseRef,
    wire.RetiredReplica,
}


def optional_fields(model: type[BaseModel]) -> list[str]:
    return [name for name, field in model.model_fields.items() if not field.is_required()]


def test_every_request_model_is_covered() -> None:
    """A new request model (…In in the server's schemas, …Request on the wire) needs a case here."""
    found = {
        model
        for module in (access, catalogue, orders, stock, work)
        for name, model in inspect.getmembers(module, inspect.isclass)
        if model.__module__ == module.__name__ and name.endswith("In")
    } | {wire.RegisterRequest, wire.ClaimRequest, wire.PackClaimRequest, wire.PushRequest, wire.PushEvent}
    covered = {case.model for case in CASES}
    assert found - covered - ALL_REQUIRED == set()
    assert all(optional_fields(model) for model in covered)
    assert not any(optional_fields(model) for model in ALL_REQUIRED)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Fresh SQLite servers with the same products, stock, one accepted order and station ST01 registered."""
    clients: list[TestClient] = []

    def make() -> Server:
        app = create_app(make_settings(f"sqlite:///{tmp_path / f'server{len(clients)}.db'}"))
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        server = Server(app, app.state.db, client)
        _prepare(server)
        return server

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _prepare(server: Server) -> None:
    for path, body in (
        ("/locations", [{"code": "A-01-01-1", "sequence": 10}, {"code": "A-01-02-1", "sequence": 20}]),
        ("/products", [{"sku": "MUG-RED", "name": "Red Mug", "barcodes": ["4006381333931"]}]),
        ("/stock/receipts", {"sku": "MUG-RED", "location": "A-01-02-1", "qty": 5}),
        ("/orders", {**ORDER, "external_id": "1001"}),
    ):
        assert server.post(path, body).status_code in (200, 201)
    with server.db.session_scope(write=True) as session:
        server.tokens["station"] = create_token(session, "station", "ST01")
    assert server.post("/sync/register", {**STATION, "app_version": "t"}, role="station").status_code == 200


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        body = body[key]
    return body


def _timeless(value: Any) -> Any:
    """An answer without the fields that tell when it was made, or which server made it (each of the two
    servers has its own random identity)."""
    if isinstance(value, dict):
        return {
            k: _timeless(v)
            for k, v in value.items()
            if not (k.endswith("_at") or k in ("at", "server_now", "server_id"))
        }
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.model.__name__)
def test_optional_fields_sent_as_null_are_taken_as_left_out(
    case: Case, servers: Callable[[], Server]
) -> None:
    nulls = copy.deepcopy(case.body)
    target = _at(nulls, case.at)
    fields = [name for name in optional_fields(case.model) if name not in target]
    assert fields, f"{case.model.__name__}: the case sets every optional field"
    target.update(dict.fromkeys(fields, None))
    role = "station" if case.station else "admin"

    left_out = servers().post(case.path, case.body, role=role)
    as_null = servers().post(case.path, nulls, role=role)

    assert left_out.status_code != 422, left_out.text  # the body was valid (a 409 of the action is fine)
    assert as_null.status_code == left_out.status_code, f"{fields} as null: {as_null.text}"
    assert _timeless(as_null.json()) == _timeless(left_out.json())


def test_a_shop_order_with_nulls_is_the_order_without_them(servers: Callable[[], Server]) -> None:
    """Shopify sends null for every value it has not got: in the order, its customer, address and lines."""
    left_out = shop_order(financial_status="paid")
    for key in ("email", "customer", "shipping_address"):
        del left_out[key]
    left_out["shipping_lines"] = [{}]
    left_out["line_items"] = [{"sku": "MUG-RED", "quantity": 1}]
    nulls = {
        **left_out,
        "email": None,
        "customer": None,
        "shipping_address": {
            "name": None,
            "address1": None,
            "address2": None,
            "zip": None,
            "country_code": None,
        },
        "shipping_lines": [None, {"code": None, "title": None}],
        "line_items": [{"sku": "MUG-RED", "quantity": 1, "title": None, "variant_title": None}],
    }
    first, second = send(servers(), left_out), send(servers(), nulls)
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    assert _timeless(second.json()) == _timeless(first.json())
