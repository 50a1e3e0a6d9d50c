"""The sync client, a fake server and a faulty link: nothing lost, nothing twice, acks only when safe."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sync.client import PushState, SyncClient
from tests.support.fakes import FakeClock
from tests.support.sync_fakes import FakeSyncServer, FaultyTransport, MemorySyncStore


def rig(batch: int = 500) -> tuple[FakeSyncServer, FaultyTransport, MemorySyncStore, SyncClient]:
    server = FakeSyncServer()
    transport = FaultyTransport(server)
    store = MemorySyncStore(server)
    http = httpx.Client(transport=transport, base_url="http://server")
    client = SyncClient(http, store, FakeClock(), station_id="ST01", app_version="test", batch_events=batch)
    return server, transport, store, client


def drain(client: SyncClient, rounds: int = 200) -> None:
    for _ in range(rounds):
        if client.push_once() in (PushState.IDLE, PushState.STOPPED):
            return


def test_a_new_replica_registers_and_pushes_its_outbox_in_batches() -> None:
    server, _, store, client = rig(batch=4)
    store.append(10)
    drain(client)
    assert server.committed_through(store.rid) == 10
    assert store.depth() == 0


def test_a_response_lost_after_commit_is_resent_and_deduplicated() -> None:
    server, transport, store, client = rig()
    store.append(3)
    drain(client)
    store.append(2)
    transport.plan = ["lose_response"]
    assert client.push_once() is PushState.RETRY
    assert store.depth() == 2  # not acked: the client never saw the answer
    drain(client)
    assert server.effects.count((store.rid, 4)) == 1 and store.depth() == 0


def test_a_retry_sends_exactly_the_same_batch() -> None:
    _, transport, store, client = rig()
    store.append(3)
    drain(client)
    store.append(2)
    transport.plan = ["drop"]
    client.push_once()
    first = [r.seq for r in client.inflight or []]
    store.append(5)  # new events wait for the next batch
    sent: list[list[int]] = []
    original = transport.inner.handle_request

    def spy(request: httpx.Request) -> httpx.Response:
        sent.append([e["seq"] for e in __import__("json").loads(request.content)["events"]])
        return original(request)

    transport.inner.handle_request = spy  # type: ignore[method-assign]
    client.push_once()
    assert sent[0] == first == [4, 5]


def test_upgrade_required_stops_pushing_and_keeps_the_queue() -> None:
    server, _, store, client = rig()
    store.append(2)
    server.handle = lambda request: httpx.Response(426, json={"error": "upgrade_required"})  # type: ignore[method-assign]
    client.http = httpx.Client(transport=httpx.MockTransport(server.handle), base_url="http://server")
    assert client.push_once() is PushState.STOPPED
    assert client.stopped == "upgrade_required" and store.depth() == 2 and store.status == "upgrade_required"


def test_seq_reuse_with_other_content_re_keys_instead_of_stopping() -> None:
    server, _, store, client = rig()
    store.append(2)
    drain(client)
    old = store.rid
    server.events[(store.rid, 2)] = "another digest"
    client.send_from = 1
    assert client.push_once() is PushState.SENT and client.stopped is None
    assert store.rid != old and server.registered[-1].retired is not None  # the server hears of it


def test_after_a_server_restore_retained_events_are_sent_again() -> None:
    server, _, store, client = rig()
    store.append(3)
    drain(client)
    backup = server.backup()
    store.append(4)
    drain(client)
    server.restore(backup)  # the server lost seq 4..7, which the station had acked
    store.append(1)
    drain(client)
    assert server.committed_through(store.rid) == 8
    assert sorted(server.effects) == [(store.rid, s) for s in range(1, 9)]


def test_backoff_grows_and_stays_under_the_cap() -> None:
    _, transport, store, client = rig()
    store.append(1)
    transport.plan = ["error503"] * 12
    delays = []
    for _ in range(12):
        assert client.push_once() is PushState.RETRY
        delays.append(client.retry_in)
    assert max(delays) <= client.backoff.cap
    assert client.backoff.attempts == 12 and not client.online


class SyncUnderFaults(RuleBasedStateMachine):
    """Random interleavings of recording, pushing, pulling, faults and server restores."""

    def __init__(self) -> None:
        super().__init__()
        self.server, self.transport, self.store, self.client = rig(batch=5)
        self.backups: list[FakeSyncServer] = []

    @rule(n=st.integers(1, 12))
    def record_events(self, n: int) -> None:
        self.store.append(n)

    @rule(fault=st.sampled_from(FaultyTransport.FAULTS), count=st.integers(1, 3))
    def inject_fault(self, fault: str, count: int) -> None:
        self.transport.plan.extend([fault] * count)

    @rule()
    def push(self) -> None:
        self.client.push_once()

    @rule()
    def pull(self) -> None:
        self.client.pull_once()

    @rule()
    def deliver_a_delayed_request(self) -> None:
        self.transport.deliver_delayed()

    @rule()
    def take_server_backup(self) -> None:
        self.backups.append(self.server.backup())

    @rule()
    def restore_server_from_backup(self) -> None:
        if self.backups:
            self.server.restore(self.backups.pop(0))

    @invariant()
    def server_sequences_are_contiguous_and_applied_once(self) -> None:
        mine = [seq for rid, seq in self.server.effects if rid == self.store.rid]
        assert len(mine) == len(set(mine)), "I2: an event applied twice"
        assert sorted(mine) == list(range(1, len(mine) + 1)), "I3: a gap in the server's sequence"

    def teardown(self) -> None:
        self.transport.plan.clear()
        while self.transport.delayed:
            self.transport.deliver_delayed()
        for _ in range(3):  # what the sync worker does: push until idle, then pull
            drain(self.client, 1000)
            self.client.pull_once()
        drain(self.client, 1000)
        assert self.client.stopped is None, self.client.last_error
        assert self.server.committed_through(self.store.rid) == len(self.store.rows), "I1: events lost"
        for row in self.store.rows:
            assert self.server.events[(self.store.rid, row.seq)] == row.sha256
        assert self.store.depth() == 0


SyncUnderFaults.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_sync_under_faults_loses_nothing_and_duplicates_nothing = SyncUnderFaults.TestCase
