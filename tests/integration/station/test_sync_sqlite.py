"""The sync client on a real station database: recorded scans reach the server once; pulled leases apply."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.station.store.sync_store import SqlSyncStore
from sync import schemas as w
from sync.client import PushState, SyncClient
from tests.integration.station.test_station_db import sqlite_picker
from tests.support.sync_fakes import FakeSyncServer, FaultyTransport
from tests.unit.station.conftest import TEA, gtin


def client_for(db: Path, server: FakeSyncServer) -> tuple[SyncClient, SqlSyncStore, FaultyTransport]:
    from app.station.store.db import open_station_db

    store = SqlSyncStore(open_station_db(db), boot_id="boot-1")
    transport = FaultyTransport(server)
    http = httpx.Client(transport=transport, base_url="http://server")
    from tests.support.fakes import FakeClock

    return (
        SyncClient(http, store, FakeClock(), station_id="ST01", app_version="t", batch_events=3),
        store,
        transport,
    )


def drain(client: SyncClient) -> None:
    for _ in range(100):
        if client.push_once() in (PushState.IDLE, PushState.STOPPED):
            return


def test_recorded_scans_reach_the_server_once_despite_a_lost_response(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    rig = sqlite_picker(db)
    rig.scans("T-0001", "A-01-01-1", gtin(TEA), "B-01-01-1")
    server = FakeSyncServer()
    client, store, transport = client_for(db, server)
    transport.plan = ["ok", "ok", "lose_response", "drop"]
    drain(client)
    last = store.last_seq()
    assert last == 5 and server.committed_through(store.replica_id()) == last
    assert sorted(s for _, s in server.effects) == list(range(1, last + 1))
    assert store.depth() == 0 and store.first_unacked_seq() is None
    for row in store.events_from(1, 1000):
        assert server.events[(store.replica_id(), row.seq)] == row.sha256


def test_a_pulled_renewal_revalidates_leases_after_a_reboot(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    sqlite_picker(db).scans("T-0001", "A-01-01-1")
    rebooted = sqlite_picker(db, boot_id="boot-2")
    assert rebooted.scan(gtin(TEA)).code == "lease_expired"
    from app.station.store.db import open_station_db

    store = SqlSyncStore(open_station_db(db), boot_id="boot-2")
    renew = w.PullResponse(
        cursor="5",
        acked_through=0,
        server_now=1000.0,
        changes=[w.LeaseRenewed(line_id="L2", token=7, expires_at=1000.0 + 3600)],
    )
    store.apply_pull(renew, boot_now=rebooted.clock.boot(), margin_s=60)
    assert store.cursor() == "5"
    assert rebooted.scan(gtin(TEA)).code == "line_done"


def test_a_revoked_line_is_no_longer_offered_to_the_picker(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    rig = sqlite_picker(db)
    rig.scan("T-0001")
    from app.station.store.db import open_station_db

    store = SqlSyncStore(open_station_db(db), boot_id="boot-1")
    revoke = w.PullResponse(
        cursor="9",
        acked_through=0,
        server_now=1.0,
        changes=[w.LeaseRevoked(line_id="L2", token=7, reason="supervisor")],
    )
    store.apply_pull(revoke, boot_now=rig.clock.boot(), margin_s=60)
    view = rig.station.line_view()
    assert view is not None and view.line_id == "L1" and view.total == 1
