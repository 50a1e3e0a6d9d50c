"""Every endpoint needs a bearer token with the right role; refusals are JSON."""

from __future__ import annotations

from sqlalchemy import select

from app.server.access.models import ApiToken, Operator
from tests.integration.server.conftest import Server, order_body


def test_request_without_token_is_401_json(server: Server) -> None:
    r = server.client.get("/api/v1/orders")
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"
    assert "Authorization: Bearer" in r.json()["message"]


def test_unknown_token_is_401(server: Server) -> None:
    r = server.client.get("/api/v1/orders", headers={"Authorization": "Bearer aisle_not-a-real-token"})
    assert r.status_code == 401
    assert "unknown or revoked" in r.json()["message"]


def test_station_token_cannot_create_orders(server: Server) -> None:
    r = server.post("/orders", order_body(), role="station")
    assert r.status_code == 403
    assert r.json() == {
        "error": "forbidden",
        "message": "This needs a token with role admin or integration; yours has role station.",
        "needs": ["admin", "integration"],  # what a station shows when its own token is refused
        "token_role": "station",
        "token_name": "test-station",
    }


def test_integration_token_can_create_orders_but_not_operators(stocked: Server) -> None:
    assert stocked.post("/orders", order_body(), role="integration").status_code == 201
    r = stocked.post(
        "/operators",
        {"badge": "OP-1001", "name": "Ann", "roles": ["picker"], "pin": "1234"},
        role="integration",
    )
    assert r.status_code == 403


def test_tokens_are_stored_only_as_hashes(server: Server) -> None:
    headers = server.auth("supervisor")
    token = headers["Authorization"].split()[1]
    with server.db.session_scope() as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_operator_is_created_with_a_hashed_pin_and_updated_by_badge(server: Server) -> None:
    body = {"badge": "OP-1001", "name": "Ann Picker", "roles": ["picker"], "pin": "4821"}
    first = server.post("/operators", body, role="supervisor")
    assert first.status_code == 201
    assert first.json() == {"badge": "OP-1001", "name": "Ann Picker", "roles": ["picker"], "active": True}
    again = server.post("/operators", {**body, "roles": ["picker", "packer"]})
    assert again.status_code == 200 and again.json()["roles"] == ["packer", "picker"]
    with server.db.session_scope() as session:
        pin_hash = session.scalars(select(Operator.pin_hash)).one()
    assert "4821" not in pin_hash and pin_hash.startswith("scrypt$")


def test_operator_pin_must_be_digits(server: Server) -> None:
    r = server.post("/operators", {"badge": "OP-1002", "name": "Bo", "roles": ["packer"], "pin": "abc"})
    assert r.status_code == 422 and "field pin" in r.json()["message"]


def test_openapi_and_health_need_no_token(server: Server) -> None:
    assert server.client.get("/healthz").json() == {"status": "ok"}
    spec = server.client.get("/openapi.json").json()
    assert "/api/v1/orders" in spec["paths"]
