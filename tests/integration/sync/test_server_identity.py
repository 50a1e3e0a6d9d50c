"""A station database belongs to one server (issue 12, 2; docs/sync.md "Identities"): a database server A
filled, started against server B, is set aside whole (its unsent scans kept and listed) and the station
starts clean; nothing of A's database reaches B. And before the first pull a badge is "loading", after it
an unknown badge is "unknown" (issue 12, 3), on the real SQLite store and the real server.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from app.cli.station import HeadlessStation
from app.config import Settings
from app.server.app import create_app
from app.server.stations.models import Replica, SyncEvent
from app.server.stations.registry import server_id
from sync.worker import SyncWorker
from tests.integration.server.conftest import Server, TestClient, make_settings, order_body
from tests.integration.sync.conftest import Clock, release_orders
from tests.support.station_rig import PICKER, RED_MUG, StationRig


@contextmanager
def another_server(tmp_path: Path) -> Iterator[Server]:
    """A second server on a database of its own: another install, or the same one re-created."""
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'server-b.db'}"))
    with TestClient(app) as client:
        yield Server(app, app.state.db, client)


def identity(server: Server) -> str:
    with server.db.session_scope() as session:
        return server_id(session)


def fill(server: Server) -> list[int]:
    """An operator, a product at a location with stock, and one order released: work of this server."""
    assert server.post("/operators", PICKER, role="supervisor").status_code == 201
    loc = {"code": "C-09-01-1", "zone": "C", "aisle": "09", "bay": "01", "level": "1", "sequence": 5}
    assert server.post("/locations", [loc]).status_code == 200
    product = {"sku": "CUP-GRN", "name": "Green Cup", "barcodes": ["5012345678900"], "weight_g": 200}
    assert server.post("/products", [product]).status_code == 200
    assert (
        server.post("/stock/receipts", {"sku": "CUP-GRN", "location": "C-09-01-1", "qty": 9}).status_code
        == 201
    )
    return release_orders(server, order_body("B-1", lines=[("CUP-GRN", 1)]))


def test_a_database_filled_by_another_server_is_set_aside_with_its_unsent_scans_and_starts_clean(
    stocked: Server, clock: Clock, released: list[int], tmp_path: Path
) -> None:
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    db = tmp_path / "station-ST01.db"
    a = StationRig(stocked, "ST01", db)
    a.pull()
    assert a.sign_in_and_claim().accepted
    a.push()
    assert a.store.server_id() == identity(stocked)
    a.link.up = False  # the last scans of the day never reach server A
    assert all(a.scan(x).accepted for x in ("T-0001", "A-01-02-1", RED_MUG, RED_MUG))
    assert "CMD-DONE" in a.station.session_view().expect.prompt  # "All lines done. Scan CMD-DONE …"
    unsent, old_replica = a.store.depth(), a.store.replica_id()
    assert unsent >= 4
    a.engine.dispose()

    with another_server(tmp_path) as b:
        fill(b)
        station = StationRig(b, "ST01", db)  # the same file, started against the new server
        station.pull()

        done = station.client.set_aside
        assert done is not None, "the database of server A was used with server B"
        assert (done.old_server, done.new_server) == (identity(stocked), identity(b))
        assert done.unsent == unsent and done.old_replica == old_replica
        moved = Path(done.moved)
        assert moved.parent == db.parent
        assert (
            moved.name.startswith(f"station-ST01.db.server-{identity(stocked)}-") and moved.suffix == ".bak"
        )
        # the moved file holds all of it: the unsent scans, unacknowledged, A's work and its replica
        with sqlite3.connect(f"file:{moved}?mode=ro", uri=True) as kept:
            assert kept.execute("SELECT count(*) FROM outbox WHERE acked = 0").fetchone()[0] == unsent
            assert kept.execute("SELECT replica_id FROM replica").fetchone()[0] == old_replica
            assert kept.execute("SELECT count(*) FROM work_units").fetchone()[0] == 1
        status = f"{done.unsent} unsent scan(s) are kept there"
        assert moved.name in station.client.notice and status in station.client.notice
        assert identity(stocked) in station.client.notice

        # the station is clean: a new replica of server B, B's operators, none of A's work
        assert station.store.replica_id() != old_replica and station.store.depth() == 0
        assert station.store.server_id() == identity(b)
        assert station.station.line_view() is None and station.station.session_view().operator is None
        assert "CMD-DONE" not in station.station.session_view().expect.prompt
        # nothing of A's database reached B: B knows the new replica only, and no event
        with b.db.session_scope() as session:
            assert list(session.scalars(select(Replica.replica_id))) == [station.store.replica_id()]
            assert list(session.scalars(select(SyncEvent.seq))) == []

        # the headless JSON names the moved file and what waits in it
        runner = HeadlessStation(station.station, SyncWorker(station.client), "picker", Settings(), db)
        said = runner.sync_json(runner.worker.status())  # type: ignore[union-attr]
        assert said["set_aside"] == {
            "file": str(moved),
            "unsent": unsent,
            "server_id": identity(stocked),
            "new_server_id": identity(b),
        }
        assert said["notice"] == station.client.notice

        # and it works with B as any new station does
        assert station.sign_in_and_claim().accepted
        assert station.scan("T-0001").accepted
        view = station.station.line_view()
        assert view is not None and view.location == "C-09-01-1"
        station.sync()
        assert station.client.set_aside is done  # set aside once: the clean database belongs to B


def test_register_and_pull_name_the_server_and_another_servers_database_registers_nothing(
    stocked: Server, clock: Clock, tmp_path: Path
) -> None:
    rig = StationRig(stocked, "ST01", tmp_path / "st.db")
    rig.pull()
    mine = identity(stocked)
    assert rig.store.server_id() == mine and rig.client.set_aside is None
    rig.pull()
    assert rig.client.set_aside is None  # the same server again: nothing happens
    body = {"station_id": "ST01", "replica_id": "r-foreign", "app_version": "t", "server_id": "other"}
    resp = stocked.post("/sync/register", body)
    assert resp.status_code == 409 and resp.json()["error"] == "wrong_server"
    assert resp.json()["server_id"] == mine
    with stocked.db.session_scope() as session:
        assert session.get(Replica, "r-foreign") is None


def test_a_badge_before_the_first_pull_is_loading_and_after_it_an_unknown_badge_is_unknown(
    stocked: Server, clock: Clock, tmp_path: Path
) -> None:
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    rig = StationRig(stocked, "ST01", tmp_path / "new.db")
    rig.link.up = False
    assert not rig.client.pull_once()  # the first pull cannot reach the server
    rig.clock.advance(15)
    v = rig.scan("OP-1001")
    assert v.code == "reference_loading", v.message
    assert v.message.startswith("Still loading badges from the server (trying for 15 s)")
    rig.link.up = True
    rig.pull()
    assert rig.scan("OP-2100").code == "unknown_badge"
    assert rig.scan("OP-1001").code == "signed_in"
