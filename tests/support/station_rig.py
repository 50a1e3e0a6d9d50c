"""A real station in this process: the engine (app.station.services), its SQLite database and the real sync
client, talking to the in-process server app through a link the test can cut, on a clock the test moves.

The cheapest layer that runs the whole station-to-server path: no subprocess, no sleeping. The station's
FakeClock has a boot clock (leases) and a wall clock (reporting only) that tests move independently.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import Engine

from app.bootstrap.station import assemble_station
from app.domain.scanning import LabelRules
from app.domain.work import Verdict
from app.station.services.commands import ClaimWork, RecordScan
from app.station.services.deps import StationConfig
from app.station.store.db import open_station_db
from app.station.store.sync_store import SqlSyncStore
from app.station.store.uow import SqlUnitOfWorkFactory
from sync.client import PushState, SyncClient
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import new_station
from tests.support.fakes import FakeClock

PICKER = {"badge": "OP-1001", "name": "Ada Picker", "roles": ["picker"], "pin": "1234"}
RED_MUG = "4006381333931"  # MUG-RED's barcode in the `stocked` fixture, at A-01-02-1


class Link(httpx.BaseTransport):
    """The station's network: passes requests to the app while `up`, fails to connect while cut."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.up = inner, True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("link cut by the test", request=request)
        return self.inner.handle_request(request)


class StationRig:
    """A picker station `station_id` on the SQLite file `db`, registered with `server`."""

    def __init__(self, server: Server, station_id: str, db: Path, clock: FakeClock | None = None) -> None:
        self.station_id, self.db = station_id, db
        self.clock = clock or FakeClock()
        self.engine: Engine = open_station_db(db)
        self.token = new_station(server, station_id, register=False).token
        self.link = Link(server.client._transport)
        http = httpx.Client(
            transport=self.link,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        self.store = SqlSyncStore(self.engine, "boot-1")
        self.client = SyncClient(http, self.store, self.clock, station_id=station_id, app_version="test")
        uow = SqlUnitOfWorkFactory(self.engine, "boot-1")
        config = StationConfig(station_id, "picker")
        self.station = assemble_station(uow, self.clock, LabelRules(), config, self.client)

    def scan(self, text: str) -> Verdict:
        return self.station.handle(RecordScan(text))

    def sign_in_and_claim(self, badge: str = "OP-1001") -> Verdict:
        """Sign in (the operator must have been pulled) and claim work from the server."""
        assert self.scan(badge).code == "signed_in"
        return self.station.handle(ClaimWork())

    def push(self) -> None:
        """Push until the outbox is empty; the client must not have stopped."""
        for _ in range(100):
            if self.client.push_once() is not PushState.SENT:
                break
        assert self.client.stopped is None, self.client.last_error

    def pull(self) -> None:
        for _ in range(100):
            assert self.client.pull_once(), self.client.last_error
            if not self.client.more:
                return

    def sync(self) -> None:
        """One full round while online: push everything, then pull everything."""
        self.push()
        self.pull()
        assert self.store.depth() == 0
