"""The background sync loop: one round drains the outbox and pulls; only one sender per replica."""

from __future__ import annotations

from pathlib import Path

from sync.worker import SingleSender, SyncWorker
from tests.unit.station.test_sync_client import rig


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
    transport.plan = ["drop"]
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
