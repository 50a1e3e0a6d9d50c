"""GET /carriers and POST /shipping/choose through the real app on SQLite, with the shipped carriers.toml."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.config import ServerSettings, Settings, SettingsError, ShippingSettings
from app.server.app import create_app
from tests.integration.server.conftest import Server

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[3]
BERLIN = ZoneInfo("Europe/Berlin")


def settings(tmp_path: Path, carriers_file: str) -> Settings:
    return Settings(
        server=ServerSettings(database_url=f"sqlite:///{tmp_path / 'server.db'}"),
        shipping=ShippingSettings(carriers_file=carriers_file),
    )


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Server]:
    app = create_app(settings(tmp_path, str(ROOT / "carriers.toml")))
    with TestClient(app) as client:
        yield Server(app, app.state.db, client)


def body(**over: Any) -> dict[str, Any]:
    return {
        "parcel": {"weight_g": 1500, "length_mm": 300, "width_mm": 200, "height_mm": 100},
        "destination": {"country": "DE", "postcode": "80331"},
        **over,
    }


def test_carriers_lists_accounts_and_services_without_credentials(shop: Server) -> None:
    answer = shop.get("/carriers", role="station")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert [(c["code"], c["kind"]) for c in data["carriers"]] == [("post", "generic"), ("courier", "generic")]
    post = data["carriers"][0]
    assert post["cutoff"] == "16:00" and post["dim_divisor"] == 5000 and post["currency"] == "EUR"
    assert post["services"][0] == {
        "code": "parcel", "name": "Post Parcel", "level": "standard", "max_weight_g": 31500,
        "max_size_mm": [1200, 600, 600], "zones": ["DE", "DE-ISL", "EU1"],
    }  # fmt: skip
    assert data["preference"] == ["post", "courier"] and data["timezone"] == "Europe/Berlin"
    assert "credentials" not in answer.text


def test_choose_returns_the_cheapest_with_every_candidate_and_why_it_lost(shop: Server) -> None:
    answer = shop.post("/shipping/choose", body(at="2026-12-03T10:00:00"), role="station")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["chosen"]["carrier"] == "post" and data["chosen"]["service"] == "parcel"
    assert data["chosen"]["price"] == "4.99" and data["chosen"]["reasons"] == []
    why = {f"{c['carrier']}/{c['service']}": c["reasons"] for c in data["candidates"]}
    assert why == {
        "post/parcel": [],
        "post/express": ["dearer than post/parcel by 6.91"],
        "courier/standard": ["dearer than post/parcel by 2.00"],
        "courier/next_day": ["dearer than post/parcel by 8.00"],
    }


def test_choose_uses_the_server_clock_in_the_warehouse_time_zone(shop: Server) -> None:
    # Thursday 17:00 in Berlin: after the post's 16:00 cut-off, before the courier's 18:30
    shop.app.state.clock = lambda: datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN).timestamp()
    request = {"level": "standard", "ship_by": "2026-12-03"}
    data = shop.post("/shipping/choose", body(request=request)).json()
    assert data["at"] == "2026-12-03T17:00:00"
    assert data["chosen"]["carrier"] == "courier"
    post = next(c for c in data["candidates"] if c["service"] == "parcel")
    assert post["reasons"] == ["leaves 2026-12-04, promised to ship by 2026-12-03"]


def test_choose_with_nothing_eligible_says_why_for_each(shop: Server) -> None:
    data = shop.post("/shipping/choose", body(destination={"country": "US", "postcode": "10001"})).json()
    assert data["chosen"] is None
    assert all(c["reasons"] == ["does not deliver to US 10001"] for c in data["candidates"])


def test_choose_refuses_a_bad_body_and_needs_a_token(shop: Server) -> None:
    bad = shop.post(
        "/shipping/choose", body(parcel={"weight_g": 0, "length_mm": 1, "width_mm": 1, "height_mm": 1})
    )
    assert bad.status_code == 422
    assert shop.post("/shipping/choose", body(request={"level": "overnight"})).status_code == 422
    assert shop.client.post("/api/v1/shipping/choose", json=body()).status_code == 401


def test_null_in_an_optional_field_counts_as_absent(shop: Server) -> None:
    answer = shop.post(
        "/shipping/choose", body(request={"level": None, "ship_by": None}, at="2026-12-03T10:00")
    )
    assert answer.status_code == 200, answer.text


def test_without_a_carriers_file_there_are_no_carriers(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, ""))
    with TestClient(app) as client:
        shop = Server(app, app.state.db, client)
        assert shop.get("/carriers").json()["carriers"] == []
        refused = shop.post("/shipping/choose", body())
        assert refused.status_code == 409 and refused.json()["error"] == "no_carriers"


def test_a_wrong_carriers_file_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    text = (
        (ROOT / "carriers.toml").read_text(encoding="utf-8").replace("dim_divisor = 5000", "dim_divisor = -5")
    )
    (tmp_path / "carriers.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"carriers\.post\.dim_divisor"):
        create_app(settings(tmp_path, str(tmp_path / "carriers.toml")))
