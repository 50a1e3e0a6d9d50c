"""Fixtures for server tests: a fresh database (SQLite file or PostgreSQL `aisle_test_<random>`), the app,
a TestClient, and tokens per role. Reuse `pg_url`, `db_url` and `server` in other server-side suites."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.config import ServerSettings
from app.server.access.auth import create_token
from app.server.app import create_app
from app.server.db.database import Database
from tests.support.pg import PostgresUnavailable, create_database, drop_database, in_ci

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2; TestClient works as it is
    from fastapi.testclient import TestClient

WEBHOOK_SECRET = "shpss_test_secret"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped after); fails in CI if PostgreSQL is down, else skips."""
    try:
        url = create_database()
    except PostgresUnavailable as exc:
        if in_ci():
            pytest.fail(f"{exc} (CI=true: PostgreSQL tests must run)")
        pytest.skip(str(exc))
    yield url
    drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh server database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("pg_url"))


@dataclass
class Server:
    """A migrated server app on a fresh database with a TestClient and one token per role."""

    app: Any
    db: Database
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str = "admin") -> dict[str, str]:
        """Authorization headers for a token with `role` (created on first use)."""
        if role not in self.tokens:
            with self.db.session_scope(write=True) as session:
                self.tokens[role] = create_token(session, role, f"test-{role}")
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def post(self, path: str, json: Any = None, role: str = "admin") -> Any:
        return self.client.post(f"/api/v1{path}", json=json, headers=self.auth(role))

    def get(self, path: str, role: str = "admin", **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params=params, headers=self.auth(role))


def make_settings(url: str, **overrides: Any) -> ServerSettings:
    return ServerSettings.model_validate(
        {"database_url": url, "shopify_webhook_secret": WEBHOOK_SECRET, **overrides}
    )


@pytest.fixture
def server(db_url: str) -> Iterator[Server]:
    """The server app on a fresh database (SQLite and PostgreSQL)."""
    app = create_app(make_settings(db_url))
    with TestClient(app) as client:
        yield Server(app, app.state.db, client)


@pytest.fixture
def stocked(server: Server) -> Server:
    """Two locations on the walking path, three products (one lot-tracked with expiry), and some stock."""
    assert (
        server.post(
            "/locations",
            [
                {"code": "A-01-01-1", "zone": "A", "aisle": "01", "bay": "01", "level": "1", "sequence": 10},
                {"code": "A-01-02-1", "zone": "A", "aisle": "01", "bay": "02", "level": "1", "sequence": 20},
                {"code": "B-01-01-1", "zone": "B", "aisle": "01", "bay": "01", "level": "1", "sequence": 30},
            ],
        ).status_code
        == 200
    )
    assert (
        server.post(
            "/products",
            [
                {"sku": "MUG-RED", "name": "Red Mug 350ml", "barcodes": ["4006381333931"], "weight_g": 350},
                {"sku": "MUG-BLU", "name": "Blue Mug 350ml", "barcodes": ["4006381333948"], "weight_g": 350},
                {
                    "sku": "MILK-1L",
                    "name": "Oat milk 1l",
                    "barcodes": ["5000112637922"],
                    "weight_g": 1040,
                    "lot_tracked": True,
                    "expiry_tracked": True,
                },
            ],
        ).status_code
        == 200
    )
    for receipt in (
        {"sku": "MUG-RED", "location": "A-01-02-1", "qty": 5},
        {"sku": "MUG-BLU", "location": "A-01-01-1", "qty": 2},
    ):
        assert server.post("/stock/receipts", receipt).status_code == 201
    return server


def order_body(
    external_id: str = "1001", lines: list[tuple[str, int]] | None = None, **extra: Any
) -> dict[str, Any]:
    """A valid POST /orders body."""
    return {
        "channel": "web",
        "external_id": external_id,
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "ship_to": {
            "name": "Ada Lovelace",
            "line1": "1 Analytical St",
            "city": "London",
            "postal_code": "N1",
            "country": "GB",
        },
        "lines": [{"sku": s, "qty": q} for s, q in (lines or [("MUG-RED", 2)])],
        "payment_status": "paid",
        "priority": "normal",
        **extra,
    }
