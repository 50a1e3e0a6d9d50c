"""A station whose token the server refuses says exactly why and what mends it (issue 12, 3): in the sync
status (status bar) and the headless JSON, never a bare "refused". The server's 401/403 bodies carry the
token's role and name; the station turns them into one sentence (sync.refused)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.station import HeadlessStation
from app.config import Settings
from app.server.access.auth import create_token
from sync.worker import SyncWorker
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock
from tests.support.station_rig import StationRig

FOR_ST02 = (
    "this token is for station ST02, not ST01: make one with aisle token create --role station --name ST01"
)


def refused_rig(server: Server, db: Path, *, role: str = "station", name: str = "ST02") -> StationRig:
    """Station ST01 configured with a token of `role` named `name`."""
    rig = StationRig(server, "ST01", db)
    with server.db.session_scope(write=True) as session:
        token = create_token(session, role, name)
    rig.client.http.headers["Authorization"] = f"Bearer {token}"
    return rig


def test_a_token_made_for_another_station_is_named_in_the_status_and_the_headless_json(
    stocked: Server, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rig = refused_rig(stocked, tmp_path / "st.db")
    worker = SyncWorker(rig.client)
    worker.step()
    status = worker.status()
    assert status.state == "token_refused" and status.reason == FOR_ST02

    runner = HeadlessStation(rig.station, worker, "picker", Settings(), rig.db)
    runner.say_sync()
    said = json.loads(capsys.readouterr().out)
    assert said["event"] == "sync" and said["state"] == "token_refused" and said["problem"] == FOR_ST02
    runner.say_sync()
    assert capsys.readouterr().out == ""  # said once, not on every round
    line = runner.line(rig.scan("OP-1001"), "OP-1001", None)
    assert line["sync"]["problem"] == FOR_ST02


def test_a_push_with_it_is_refused_the_same_way_and_a_good_token_clears_it(
    stocked: Server, clock: Clock, tmp_path: Path
) -> None:
    rig = refused_rig(stocked, tmp_path / "st.db")
    rig.scan("OP-1001")  # something to push
    rig.client.push_once()
    assert rig.client.auth_problem == FOR_ST02
    rig.client.http.headers["Authorization"] = f"Bearer {rig.token}"
    rig.pull()
    assert rig.client.auth_problem is None and SyncWorker(rig.client).status().state == "ok"


@pytest.mark.parametrize(
    ("role", "name", "said"),
    [
        (
            "supervisor",
            "ST01",
            "this token has role supervisor, not station: make one with aisle token create --role station "
            "--name ST01",
        ),
        (
            "integration",
            "shop",
            "this token has role integration, not station: make one with aisle token create --role station "
            "--name ST01",
        ),
    ],
)
def test_a_token_of_another_role_says_its_role(
    stocked: Server, clock: Clock, tmp_path: Path, role: str, name: str, said: str
) -> None:
    rig = refused_rig(stocked, tmp_path / "st.db", role=role, name=name)
    assert not rig.client.pull_once()
    assert SyncWorker(rig.client).status().reason == said


def test_an_unknown_or_missing_token_says_so(stocked: Server, clock: Clock, tmp_path: Path) -> None:
    rig = StationRig(stocked, "ST01", tmp_path / "st.db")
    rig.client.http.headers["Authorization"] = "Bearer aisle_not-a-token"
    assert not rig.client.pull_once()
    assert rig.client.auth_problem == (
        "the server does not know this token (unknown or revoked): make one with aisle token create --role "
        "station --name ST01"
    )
    del rig.client.http.headers["Authorization"]
    assert not rig.client.pull_once()
    assert rig.client.auth_problem is not None and rig.client.auth_problem.startswith(
        "no station token is set"
    )


def test_the_server_bodies_carry_what_the_station_needs(stocked: Server, clock: Clock) -> None:
    with stocked.db.session_scope(write=True) as session:
        token = create_token(session, "station", "ST02")
    body = {"station_id": "ST01", "replica_id": "r1", "app_version": "t"}
    resp = stocked.client.post(
        "/api/v1/sync/register", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 403
    assert {k: resp.json()[k] for k in ("token_role", "token_name", "station_id")} == {
        "token_role": "station",
        "token_name": "ST02",
        "station_id": "ST01",
    }
    resp = stocked.get("/sync/pull", role="supervisor", station_id="ST01", replica_id="r1")
    assert resp.status_code == 403 and resp.json()["token_role"] == "supervisor"
    assert resp.json()["needs"] == ["admin", "station"]
    resp = stocked.client.get("/api/v1/sync/pull", params={"station_id": "ST01", "replica_id": "r1"})
    assert resp.status_code == 401 and resp.json()["reason"] == "missing"
