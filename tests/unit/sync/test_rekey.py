"""A station database restored from an old copy re-keys by itself (sync.rekey) and drains; acks never run
past what a push answer covers (I6). The real client against the fake server and an in-memory outbox."""

from __future__ import annotations

import httpx
import pytest

from sync.client import PushState, SyncClient
from sync.rekey import ALREADY_RECEIVED, Rekeyed, ack_bound, station_outcome
from sync.worker import SyncWorker
from tests.support.fakes import FakeClock
from tests.support.sync_fakes import FakeSyncServer, MemorySyncStore
from tests.unit.sync.test_client import drain, rig


def _restart(client: SyncClient) -> SyncClient:
    """The station process starts again on its (restored) database: nothing kept in memory."""
    return SyncClient(
        client.http,
        client.store,
        FakeClock(),
        station_id="ST01",
        app_version="t",
        batch_events=client.batch_events,
    )


def _applied_once(server: FakeSyncServer) -> None:
    assert len(server.effects) == len(set(server.effects)) == len(server.event_ids)  # I2


def _on_server(server: FakeSyncServer, store: MemorySyncStore) -> None:
    for row in store.rows:  # I1: the current outbox is on the server, same content, same seq
        assert server.events[(store.rid, row.seq)] == row.sha256
        assert row.event_id in server.event_ids


def test_a_restore_found_by_a_refused_reused_seq_re_keys_and_drains() -> None:
    server, _, store, client = rig()
    store.append(3)
    drain(client)
    old, backup = store.rid, store.backup()
    store.append(4)
    drain(client)  # the server now has seq 1..7 of this replica
    store.restore(backup)
    client = _restart(client)
    store.append(2)  # seq 4, 5 again, other events
    drain(client)
    assert client.stopped is None and store.rid != old and store.depth() == 0
    assert server.committed_through(store.rid) == 2 and server.committed_through(old) == 7
    _on_server(server, store)
    _applied_once(server)
    retired = server.registered[-1].retired
    assert retired is not None and (retired.replica_id, retired.reason) == (old, "seq_reuse_mismatch")
    status = SyncWorker(client).status()  # told, though nothing waits for a person
    assert (status.state, status.reason) == ("ok", "") and "re-sent 2 scans as a new replica" in status.notice


def test_a_restore_found_by_a_pull_re_keys_before_any_push() -> None:
    server, _, store, client = rig()
    store.append(2)
    drain(client)
    old, backup = store.rid, store.backup()
    store.append(5)
    drain(client)
    store.restore(backup)
    client = _restart(client)
    store.append(1)
    assert client.pull_once()
    assert store.rid != old and [r.seq for r in store.rows] == [1]  # moved before a reused seq went out
    assert server.registered[-1].retired is not None
    assert server.registered[-1].retired.reason == "server_ahead"
    drain(client)
    assert store.depth() == 0 and server.committed_through(store.rid) == 1
    _applied_once(server)


def test_events_the_server_already_had_are_re_sent_and_not_applied_twice() -> None:
    server, transport, store, client = rig()
    store.append(3)
    drain(client)
    store.append(2)
    transport.plan = ["drop"]
    client.push_once()  # seq 4, 5 not acknowledged here when the backup is taken
    backup = store.backup()
    drain(client)
    store.append(1)
    drain(client)  # the server has 1..6
    store.restore(backup)
    client = _restart(client)
    store.append(2)  # seq 6, 7: new events, and 6 is taken on the server
    drain(client)
    assert store.depth() == 0 and [r.seq for r in store.rows] == [1, 2, 3, 4]
    assert [store.outcomes[s] for s in (1, 2)] == ["rejected_recorded"] * 2  # duplicates, no effect
    assert len(server.effects) == 8  # 6 + the 2 new ones: 4 and 5 once only
    _applied_once(server)


def test_a_replica_that_still_fails_right_after_its_re_key_stops_for_a_person() -> None:
    server, transport, store, client = rig()
    store.append(2)
    server.handle = lambda request: (  # type: ignore[method-assign]
        httpx.Response(409, json={"error": "seq_reuse_mismatch", "seq": 1})
        if request.url.path.endswith("/sync/push")
        else FakeSyncServer.handle(server, request)
    )
    transport.inner = httpx.MockTransport(server.handle)
    drain(client)
    assert client.stopped == "seq_reuse_mismatch" and len(store.retired) == 1  # re-keyed once, not for ever
    assert store.depth() == 2  # the scans stay queued


def test_an_answer_beyond_the_batch_acknowledges_only_the_batch() -> None:
    server, transport, store, client = rig(batch=2)
    store.append(3)
    drain(client)
    store.append(2)
    transport.plan = ["drop"]
    client.push_once()
    backup = store.backup()  # seq 4, 5 unacknowledged here
    drain(client)
    store.append(2)
    drain(client)  # the server has 1..7
    store.restore(backup)
    client = _restart(client)
    store.append(4)  # seq 6..9: 6 and 7 mean other events on the server
    assert client.push_once() is PushState.SENT  # 4, 5: the same events; the answer says acked through 7
    assert store.acked == {1, 2, 3, 4, 5}  # not 6, 7 (the fake store checks content on every ack)
    drain(client)
    assert store.depth() == 0 and client.stopped is None and len(store.retired) == 1
    _on_server(server, store)
    _applied_once(server)


@pytest.mark.parametrize(
    ("acked_through", "batch", "answered", "through"),
    [
        (9, [4, 5], [4, 5], 5),  # the server is further: only the batch
        (4, [4, 5], [4, 5], 4),  # the server is not as far
        (9, [4, 5, 6], [4, 6], 4),  # a hole in the results: stop before it
        (9, [4, 5], [], 0),  # no results: nothing
    ],
)
def test_ack_bound(acked_through: int, batch: list[int], answered: list[int], through: int) -> None:
    assert ack_bound(acked_through, batch, answered) == through


def test_a_re_sent_duplicate_is_kept_quietly_and_any_other_rejection_as_it_came() -> None:
    dup = "duplicate_event: event x was already received (replica y)"
    assert station_outcome("rejected_recorded", dup, resent=True) == ALREADY_RECEIVED
    assert station_outcome("rejected_recorded", dup, resent=False) == "rejected_recorded"
    assert station_outcome("rejected_recorded", "malformed: x", resent=True) == "rejected_recorded"
    assert station_outcome("accepted", None, resent=True) == "accepted"
    one = Rekeyed("a", "b", "server_ahead", 9, 4, 1)
    assert one.notice() == "database was restored from a copy: re-sent 1 scan as a new replica"
