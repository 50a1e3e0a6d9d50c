"""The real sync client and a real station database against the real server app, through a transport that
drops requests, loses responses after COMMIT, duplicates and delays (reorders) them; Hypothesis picks the
sequence. After healing: I1 no lost events, I2 no duplicate effects, I3 contiguous seqs, I4 only
current-token picks applied; at every step I6 no event is acked before the server committed it."""

from __future__ import annotations

import itertools
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from app.server.stations.models import Replica, SyncEvent
from app.server.stock.models import StockMove
from app.server.work.models import WorkLine
from app.station.services.ports import OutboxEntry
from app.station.store.db import open_station_db
from app.station.store.sync_store import SqlSyncStore
from app.station.store.uow import SqlUnitOfWorkFactory
from sync.client import PushState, SyncClient
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import new_station, release_orders
from tests.support.fakes import FakeClock

FAULTS = ("ok", "ok", "drop", "lose_response", "duplicate", "delay", "error503")


class FaultyTransport(httpx.BaseTransport):
    """Passes requests to the app's transport, with one planned fault per request."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.fault, self.delayed = inner, "ok", list[httpx.Request]()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        fault, self.fault = self.fault, "ok"
        if fault == "drop":
            raise httpx.ConnectError("request lost", request=request)
        if fault == "error503":
            return httpx.Response(503, json={"error": "unavailable", "message": "test"})
        if fault == "delay":
            self.delayed.append(request)
            raise httpx.ReadTimeout("timed out; the request arrives later", request=request)
        if fault == "lose_response":
            self.inner.handle_request(request).read()
            raise httpx.ReadTimeout("response lost after commit", request=request)
        if fault == "duplicate":
            self.inner.handle_request(request).read()
        return self.inner.handle_request(request)

    def deliver_delayed(self) -> None:
        while self.delayed:
            self.inner.handle_request(self.delayed.pop(0)).read()


def test_the_real_client_survives_faults_without_losing_or_repeating_anything(
    stocked: Server, tmp_path: Path
) -> None:
    assert (
        stocked.post(
            "/stock/receipts", {"sku": "MUG-BLU", "location": "B-01-01-1", "qty": 1_000_000}
        ).status_code
        == 201
    )
    counter = itertools.count()
    server = stocked

    class SyncMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            n = next(counter)
            self.station = new_station(server, f"FT{n:03d}", register=False)
            release_orders(server, order_body(f"ft{n}", lines=[("MUG-BLU", 200)]))
            self.station.register()  # only so the claim helper's station row exists; the replica below is new
            work = self.station.claim()
            assert work is not None
            self.line = work["lines"][0]
            self.stale = (self.line["line_id"], self.line["token"] - 1)
            engine = open_station_db(tmp_path / f"st{n}.db")
            self.uow, self.store = SqlUnitOfWorkFactory(engine, "boot-1"), SqlSyncStore(engine, "boot-1")
            self.transport = FaultyTransport(server.client._transport)
            http = httpx.Client(
                transport=self.transport, base_url="http://testserver", headers=self.station.headers
            )
            self.client = SyncClient(
                http,
                self.store,
                FakeClock(),
                station_id=self.station.station_id,
                app_version="t",
                batch_events=4,
            )
            self.picks = 0

        def _record(self, type_: str, payload: dict[str, Any], lease: tuple[str, int] | None) -> None:
            with self.uow() as u:
                u.outbox.append(OutboxEntry(str(uuid.uuid4()), type_, 1, payload, time.time(), lease))
                u.commit()

        @rule(n=st.integers(1, 5))
        def pick(self, n: int) -> None:
            lease = (self.line["line_id"], self.line["token"])
            for _ in range(n):
                self._record("ItemPicked", {"line_id": self.line["line_id"], "units": 1}, lease)
                self.picks += 1

        @rule()
        def pick_with_a_stale_token(self) -> None:
            self._record("ItemPicked", {"line_id": self.stale[0], "units": 1}, self.stale)

        @rule()
        def refused_scan(self) -> None:
            self._record("ScanRefused", {"code": "wrong_location", "message": "test"}, None)

        @rule(fault=st.sampled_from(FAULTS))
        def push(self, fault: str) -> None:
            self.transport.fault = fault
            self.client.retry_in = 0
            self.client.push_once()

        @rule(fault=st.sampled_from(FAULTS))
        def pull(self, fault: str) -> None:
            self.transport.fault = fault
            self.client.pull_once()

        @rule()
        def late_delivery(self) -> None:
            self.transport.deliver_delayed()

        @invariant()
        def nothing_is_acked_before_the_server_committed_it(self) -> None:  # I6
            assert self.store.acked_through() <= self._server_last_seq()

        def _server_last_seq(self) -> int:
            with server.db.session_scope() as s:
                rid = self.store.replica_id()
                return int(s.scalar(select(Replica.last_seq).where(Replica.replica_id == rid)) or 0)

        def teardown(self) -> None:
            self.transport.deliver_delayed()
            for _ in range(200):
                if self.client.push_once() in (PushState.IDLE, PushState.STOPPED):
                    break
            assert self.client.stopped is None, self.client.last_error
            rid = self.store.replica_id()
            outbox = {r.seq: r.sha256 for r in self.store.events_from(1, 100_000)}
            with server.db.session_scope() as s:
                rows = dict(
                    s.execute(select(SyncEvent.seq, SyncEvent.sha256).where(SyncEvent.replica_id == rid))
                    .tuples()
                    .all()
                )
                line = s.get_one(WorkLine, int(self.line["line_id"]))
                moves = s.scalar(
                    select(func.coalesce(func.sum(StockMove.delta), 0)).where(
                        StockMove.reason == "pick", StockMove.note.like(f"line {line.id},%")
                    )
                )
            assert rows == outbox  # I1: every event exactly once, same content
            assert sorted(rows) == list(range(1, len(rows) + 1))  # I3
            assert self.store.depth() == 0
            assert line.picked == self.picks and moves == -self.picks  # I2 and I4: stale picks never applied

    run_state_machine_as_test(
        SyncMachine, settings=settings(max_examples=12, stateful_step_count=25, deadline=None, database=None)
    )


pytestmark = pytest.mark.slow
