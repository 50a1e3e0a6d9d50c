"""The background sync loop: one round drains the outbox and pulls; only one sender per replica."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.bootstrap.terminal import WorkerHealth
from sync.worker import SingleSender, SyncWorker
from tests.support.sync_fakes import FakeSyncServer, FaultyTransport
from tests.unit.sync.test_client import rig


def test_one_round_pushes_everything_then_pulls_and_reports_online() -> None:
    server, _, store, client = rig(batch=3)
    store.append(10)
    worker = SyncWorker(client)
    assert worker.step() is None
    assert server.committed_through(store.rid) == 10 and store.cursor() is not None
    status = worker.status()
    assert (status.online, status.outbox_depth, status.state) == (True, 0, "ok")


def test_while_the_server_is_unreachable_the_round_returns_a_back_off_and_reports_offline() -> None:
    _, transport, store, client = rig()
    store.append(2)
    transport.plan = ["drop"] * 3  # the push and the pull (and a register) all lost
    worker = SyncWorker(client)
    delay = worker.step()
    assert delay is not None and 0 <= delay <= client.backoff.cap
    status = worker.status()
    assert (status.online, status.outbox_depth, status.state) == (False, 2, "offline")


def test_a_second_sender_on_the_same_database_stays_passive(tmp_path: Path) -> None:
    first, second = SingleSender(tmp_path / "st.db"), SingleSender(tmp_path / "st.db")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def _refuse_pushes(server: FakeSyncServer, status: int, body: dict[str, Any]) -> list[bool]:
    """Every push gets `status` with `body` while the returned flag is set; registration and pulls are
    answered as usual."""
    handle, refusing = server.handle, [True]

    def answer(request: httpx.Request) -> httpx.Response:
        if refusing[0] and request.url.path.endswith("/sync/push"):
            return httpx.Response(status, json=body)
        return handle(request)

    server.handle = answer  # type: ignore[method-assign]
    return refusing


REFUSALS = [
    (426, {"error": "upgrade_required"}, "upgrade_required"),
    (409, {"error": "seq_reuse_mismatch", "seq": 1}, "seq_reuse_mismatch"),
    (409, {"error": "gap", "expected_next": 99}, "server_ahead"),
    (422, {"detail": [{"msg": "poison event"}]}, "refused"),
    (400, {"error": "bad_request"}, "refused"),
    # the server answers pulls but fails every push (a server bug, its database half down): not "ok"
    (500, {"error": "internal"}, "push_failing"),
    (503, {"error": "database_unavailable"}, "push_failing"),
]


@pytest.mark.parametrize(("status", "body", "state"), REFUSALS)
def test_pulls_go_on_every_round_while_the_server_refuses_every_push(
    status: int, body: dict[str, Any], state: str
) -> None:
    server, transport, store, client = rig()
    store.append(1)
    client.register()
    _refuse_pushes(server, status, body)
    transport.inner = httpx.MockTransport(server.handle)
    worker = SyncWorker(client)
    cursors = []
    for _ in range(3):
        worker.step()
        cursors.append(store.cursor())
    assert None not in cursors and len(set(cursors)) == 3  # a new pull each round: leases renewed, news heard
    assert worker.status().state == state and store.depth() == 1  # the scan stays queued
    assert worker.status().reason  # and the status bar says why it does not go out


def test_a_refused_push_waits_out_its_back_off_however_often_scans_kick() -> None:
    server, transport, store, client = rig()
    store.append(1)
    _refuse_pushes(server, 400, {"error": "bad_request"})
    transport.inner = httpx.MockTransport(server.handle)
    pushes = _count_pushes(transport)
    client.backoff.rng = random.Random(3)
    worker = SyncWorker(client, interval_s=0.5)
    worker.start()
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:  # an operator scanning ten times a second
            worker.kick()
            time.sleep(0.1)
    finally:
        worker.stop()
    assert 2 <= len(pushes) <= 6, len(pushes)  # back-off 0-0.5 s, 0-1 s, 0-2 s …, not one push per scan
    assert client.backoff.attempts == len(pushes)


def test_a_kick_pushes_at_once_while_the_link_is_healthy() -> None:
    server, _, store, client = rig()
    clock = [100.0]
    worker = SyncWorker(client, interval_s=2.0, now=lambda: clock[0])
    worker.tick()  # nothing queued: next push in 2 s
    store.append(1)
    clock[0] += 0.1
    worker.kicked()
    worker.tick()
    assert server.committed_through(store.rid) == 1


def test_a_stopped_push_is_not_retried_until_the_rare_recheck() -> None:
    server, transport, store, client = rig()
    store.append(2)
    refusing = _refuse_pushes(server, 426, {"error": "upgrade_required"})
    transport.inner = httpx.MockTransport(server.handle)
    pushes = _count_pushes(transport)
    clock = [100.0]
    worker = SyncWorker(client, interval_s=2.0, recheck_s=300.0, now=lambda: clock[0])
    for _ in range(100):  # 100 scans over 200 s, each kicking the loop
        worker.tick()
        worker.kicked()
        clock[0] += 2.0
    assert len(pushes) == 1 and worker.status().state == "upgrade_required"
    assert worker.status().reason == "sync stopped: upgrade"
    assert WorkerHealth(worker).health().problem == "sync stopped: upgrade"  # what the status bar shows

    refusing[0] = False  # the server was upgraded
    clock[0] += 100.0  # past the re-check
    worker.tick()
    assert len(pushes) == 2 and server.committed_through(store.rid) == 2
    assert worker.status().state == "ok" and worker.status().reason == ""


def test_after_the_link_heals_the_first_good_pull_sends_the_queue_without_waiting_out_the_back_off() -> None:
    server, transport, store, client = rig()
    store.append(1)
    clock = [100.0]
    worker = SyncWorker(client, interval_s=2.0, now=lambda: clock[0])
    client.backoff.attempts = 20  # long offline: the next push would wait up to 30 s
    transport.plan = ["drop", "drop"]  # the push and the pull of this round are lost
    worker.tick()
    assert worker.push_failing and worker.pull_failing
    clock[0] = worker.pull_at  # the pull probes the link again first (its back-off is capped lower)
    worker.tick()
    assert server.committed_through(store.rid) == 1 or worker.push_at <= clock[0]
    worker.tick()
    assert server.committed_through(store.rid) == 1 and store.depth() == 0


def _count_pushes(transport: FaultyTransport) -> list[int]:
    pushes: list[int] = []
    inner = transport.inner.handle_request

    def counting(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/push"):
            pushes.append(1)
        return inner(request)

    transport.inner.handle_request = counting  # type: ignore[method-assign]
    return pushes


def test_a_local_database_error_does_not_kill_the_sync_thread_and_the_queue_still_drains() -> None:
    server, _, store, client = rig(batch=5)
    store.append(4)
    real_pull, failures = client.pull_once, [2]

    def flaky_pull() -> bool:
        if failures[0]:
            failures[0] -= 1
            raise RuntimeError("database is locked")  # as sqlite3 says after its busy timeout
        return real_pull()

    client.pull_once = flaky_pull  # type: ignore[method-assign]
    worker = SyncWorker(client, interval_s=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while (failures[0] or store.depth()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker._thread is not None and worker._thread.is_alive()
        assert failures[0] == 0 and server.committed_through(store.rid) == 4
    finally:
        worker.stop()


def test_housekeeping_runs_in_the_sync_thread_between_rounds_on_its_own_schedule() -> None:
    _, transport, store, client = rig()
    now = [0.0]
    calls: list[float] = []
    more = [True, False, False, False]

    def prune() -> bool:
        calls.append(now[0])
        if len(calls) == 2:
            raise RuntimeError("database is locked")  # logged; pushes and pulls go on
        return more[len(calls) - 1]

    worker = SyncWorker(client, 2.0, housekeeping=prune, housekeeping_s=600.0, now=lambda: now[0])
    store.append(3)
    worker.tick()  # push, pull, then the first pass: it left rows, so the next comes one interval later
    assert calls == [0.0] and store.first_unacked_seq() is None
    now[0] = 2.0
    worker.tick()  # the second pass fails: tried again after the housekeeping interval, not at once
    now[0] = 4.0
    worker.tick()
    assert calls == [0.0, 2.0]
    now[0] = 602.0
    worker.tick()
    assert calls == [0.0, 2.0, 602.0]
    transport.plan = ["drop"] * 4
    now[0] = 1300.0
    worker.tick()  # offline: the pass still runs (it deletes acknowledged rows only)
    assert calls[-1] == 1300.0
