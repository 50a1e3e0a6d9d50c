"""Parcel identifiers on the server (SQLite and PostgreSQL): ranges from [shipping] stored at start-up, blocks
leased to replicas that never overlap, numbers the server issues, voided numbers dead for good, and the blocks
of a re-keyed replica abandoned."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from app.config import Settings
from app.domain.shipping.schemes import make_scheme
from app.server.app import create_app
from app.server.shipping.models import IssuedNumber, NumberBlock
from app.server.shipping.ranges import RangeConflict
from app.server.work.models import FloorException
from tests.integration.server.conftest import Server, make_settings
from tests.integration.sync.conftest import new_station

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SHIPPING = {
    "company_prefix": "0614141",
    "sscc_extension_digit": 3,
    "tracking_ranges": ["post:s10:RA:GB:1-2000", "express:ups:999AA1:01", "tiny:mod10:9:8:10-14"],
    "block_size": 50,
    "server_block_size": 20,
}


def _settings(url: str, **shipping: Any) -> Settings:
    return Settings.model_validate(
        {"server": make_settings(url).model_dump(), "shipping": {**SHIPPING, **shipping}}
    )


@pytest.fixture
def shop(db_url: str) -> Iterator[Server]:
    app = create_app(_settings(db_url))
    with TestClient(app) as client:
        yield Server(app, app.state.db, client)


def _lease(shop: Server, station: Any, kind: str, replica: str | None = None, **body: Any) -> Any:
    return shop.client.post(
        f"/api/v1/numbers/{kind}/blocks",
        json={"station_id": station.station_id, "replica_id": replica or station.replica_id, **body},
        headers=station.headers,
    )


def test_configured_ranges_are_stored_at_start(shop: Server) -> None:
    ranges = {r["kind"]: r for r in shop.get("/numbers", role="supervisor").json()["ranges"]}
    assert set(ranges) == {"sscc-0614141", "post-s10", "express-ups", "tiny-mod10"}
    assert ranges["sscc-0614141"]["params"] == {"company_prefix": "0614141", "extension_digit": "3"}
    assert (ranges["sscc-0614141"]["first"], ranges["sscc-0614141"]["last"]) == (0, 999_999_999)
    assert (ranges["post-s10"]["first"], ranges["post-s10"]["last"], ranges["post-s10"]["next"]) == (
        1,
        2000,
        1,
    )


def test_blocks_leased_one_after_another_never_overlap_and_carry_the_scheme(shop: Server) -> None:
    st1, st2 = new_station(shop, "ST01"), new_station(shop, "ST02")
    blocks = [_lease(shop, st, "post-s10").json() for st in (st1, st2, st1)]
    assert [(b["first"], b["last"]) for b in blocks] == [(1, 50), (51, 100), (101, 150)]
    assert blocks[0]["first_number"] == "RA000000014GB" and blocks[0]["holder"] == st1.replica_id
    scheme = make_scheme(blocks[1]["scheme"], blocks[1]["params"])  # what a station prints offline
    assert scheme.issue(51) == blocks[1]["first_number"] and scheme.is_valid(blocks[1]["last_number"])
    assert _lease(shop, st2, "post-s10", size=7).json()["last"] == 157


def test_a_lease_for_another_station_or_an_unknown_range_is_refused(shop: Server) -> None:
    st1, st2 = new_station(shop, "ST01"), new_station(shop, "ST02")
    assert _lease(shop, st1, "post-s10", replica=st2.replica_id).status_code == 403
    missing = _lease(shop, st1, "dhl-ups")
    assert missing.status_code == 404 and missing.json()["error"] == "unknown_number_range"
    assert (
        shop.post(
            "/numbers/post-s10/blocks", {"station_id": "ST01", "replica_id": "x"}, "supervisor"
        ).status_code
        == 403
    )


def test_the_last_block_is_what_is_left_then_the_range_is_exhausted(shop: Server) -> None:
    st1 = new_station(shop, "ST01")
    assert (_lease(shop, st1, "tiny-mod10", size=3).json()["last"]) == 12
    rest = _lease(shop, st1, "tiny-mod10", size=3).json()
    assert (rest["first"], rest["last"]) == (13, 14)
    done = _lease(shop, st1, "tiny-mod10")
    assert done.status_code == 409 and done.json()["error"] == "range_exhausted"


def test_the_server_issues_valid_consecutive_numbers_from_its_own_blocks(shop: Server) -> None:
    st1 = new_station(shop, "ST01")
    first = shop.post("/numbers/sscc-0614141", {"parcel_ref": "P1"}, "station").json()
    sscc = make_scheme("sscc", {"company_prefix": "0614141", "extension_digit": "3"})
    assert first == {
        "kind": "sscc-0614141",
        "number": sscc.issue(0),
        "serial": 0,
        "parcel_ref": "P1",
        "state": "issued",
    }
    assert first["number"].startswith("30614141000000000") and sscc.is_valid(first["number"])
    assert _lease(shop, st1, "sscc-0614141").json()["first"] == 20  # after the server's block of 20
    serials = [shop.post("/numbers/sscc-0614141", {}, "integration").json()["serial"] for _ in range(25)]
    assert serials == [*range(1, 20), *range(70, 76)]  # its block used up, then one after the station's
    ups = shop.post("/numbers/express-ups", {}).json()["number"]
    assert ups == make_scheme("ups", {"shipper": "999AA1", "service": "01"}).issue(0)
    assert ups.startswith("1Z999AA1010000000") and len(ups) == 18


def test_a_voided_number_is_dead_and_never_issued_again(shop: Server) -> None:
    issued = [shop.post("/numbers/post-s10", {}).json()["number"] for _ in range(3)]
    dead = shop.post("/numbers/post-s10/void", {"number": issued[1], "reason": "torn label"}, "supervisor")
    assert dead.status_code == 200 and dead.json()["state"] == "void"
    assert shop.post("/numbers/post-s10/void", {"number": issued[1]}, "supervisor").json()["state"] == "void"
    later = [shop.post("/numbers/post-s10", {}).json()["number"] for _ in range(60)]
    assert issued[1] not in later and len(set(issued + later)) == 63
    with shop.db.session_scope() as s:
        row = s.scalars(select(IssuedNumber).where(IssuedNumber.text == issued[1])).one()
        assert (row.state, row.void_reason) == ("void", "torn label") and row.voided_at is not None


def test_a_station_number_the_server_never_heard_of_is_recorded_dead_when_voided(shop: Server) -> None:
    st1 = new_station(shop, "ST01")
    block = _lease(shop, st1, "post-s10").json()
    assert (
        shop.post("/numbers/post-s10/void", {"number": block["last_number"]}, "supervisor").status_code == 200
    )
    never = make_scheme("s10", block["params"]).issue(1999)
    refused = shop.post("/numbers/post-s10/void", {"number": never}, "supervisor")
    assert refused.status_code == 409 and refused.json()["error"] == "not_issued"
    garbage = shop.post("/numbers/post-s10/void", {"number": "RA123456784GB"}, "supervisor")
    assert garbage.status_code == 422 and garbage.json()["error"] == "not_a_number_of_this_range"
    assert shop.post("/numbers/post-s10/void", {"number": never}, "station").status_code == 403


def test_a_rekeyed_replica_abandons_its_blocks_and_a_new_lease_never_overlaps_them(shop: Server) -> None:
    st1 = new_station(shop, "ST01")
    old = st1.replica_id
    held = [_lease(shop, st1, "post-s10").json(), _lease(shop, st1, "sscc-0614141").json()]
    st1.replica_id = "restored-copy-replica"
    retired = {"replica_id": old, "reason": "server_ahead", "last_seq": 0, "resent": 0}
    body = {"station_id": "ST01", "replica_id": st1.replica_id, "app_version": "t", "retired": retired}
    assert st1.post("/sync/register", body).status_code == 200
    with shop.db.session_scope() as s:
        states = {b.id: b.state for b in s.scalars(select(NumberBlock).where(NumberBlock.holder == old))}
        alarm = s.scalars(select(FloorException).where(FloorException.kind == "database_restored")).one()
    assert states == {held[0]["block_id"]: "abandoned", held[1]["block_id"]: "abandoned"}
    assert alarm.data["abandoned_number_blocks"] == 2 and "2 open number block(s)" in alarm.message
    fresh = _lease(shop, st1, "post-s10").json()
    assert fresh["first"] > held[0]["last"]
    assert shop.post("/numbers/post-s10", {}).json()["serial"] > held[0]["last"]
    again = _lease(shop, st1, "post-s10", replica=old)
    assert again.status_code == 409 and again.json()["error"] == "replica_retired"


def test_a_range_grows_on_restart_but_never_changes_its_scheme_or_shrinks_below_what_was_handed_out(
    db_url: str,
) -> None:
    app = create_app(_settings(db_url))
    with TestClient(app) as client:
        server = Server(app, app.state.db, client)
        for _ in range(30):
            server.post("/numbers/post-s10", {})
    app.state.db.dispose()
    grown = create_app(_settings(db_url, tracking_ranges=["post:s10:RA:GB:1-5000"]))
    with TestClient(grown) as client:
        ranges = client.get("/api/v1/numbers", headers=Server(grown, grown.state.db, client).auth()).json()
        assert {r["kind"]: r["last"] for r in ranges["ranges"]}["post-s10"] == 5000
    grown.state.db.dispose()
    with pytest.raises(RangeConflict, match="never changes its scheme"):
        create_app(_settings(db_url, tracking_ranges=["post:s10:RR:GB:1-5000"]))
    with pytest.raises(RangeConflict, match="handed out already"):
        create_app(_settings(db_url, tracking_ranges=["post:s10:RA:GB:1-30"]))
