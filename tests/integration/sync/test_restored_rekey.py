"""A station database restored from an old copy re-keys by itself: the real client and a real station
database (SQLite) against the real server app, in-process. Found by a pull (the server is ahead) or by a
refused reused seq, the station moves its unacknowledged events to a new replica in one local transaction,
registers it and drains; an event the server already had is not applied twice, and acks never run past what
a push answer covers (I1, I2, I3, I6)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from app.server.stations.models import Replica, SyncEvent
from app.server.stock.models import StockMove
from app.server.work.models import FloorException, WorkLine
from app.station.services.ports import OutboxEntry
from app.station.store import retire
from app.station.store import tables as t
from app.station.store.db import open_station_db
from app.station.store.sync_store import SqlSyncStore
from app.station.store.uow import SqlUnitOfWorkFactory
from sync.client import PushState, SyncClient
from sync.rekey import ALREADY_RECEIVED
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Station, new_station
from tests.support.fakes import FakeClock


@dataclass
class Rig:
    """One station database file and the sync client on it, as a station process would have them."""

    server: Server
    station: Station
    path: Path
    batch: int = 500

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        """(Re)start the station on its database file: nothing kept in memory."""
        self.engine: Engine = open_station_db(self.path)
        self.store = SqlSyncStore(self.engine, "boot-1")
        http = httpx.Client(
            transport=self.server.client._transport,
            base_url="http://testserver",
            headers=self.station.headers,
        )
        self.client = SyncClient(
            http, self.store, FakeClock(), station_id=self.station.station_id, app_version="t",
            batch_events=self.batch,
        )  # fmt: skip

    def record(self, type_: str = "ScanNoted", payload: dict[str, Any] | None = None, **kw: Any) -> str:
        event_id = str(uuid.uuid4())
        with SqlUnitOfWorkFactory(self.engine, "boot-1")() as u:
            u.outbox.append(OutboxEntry(event_id, type_, 1, payload or {"n": event_id}, time.time(), **kw))
            u.commit()
        return event_id

    def drain(self) -> None:
        for _ in range(100):
            if self.client.push_once() in (PushState.IDLE, PushState.STOPPED):
                return

    def backup(self) -> Path:
        copy = self.path.with_suffix(".backup")
        with sqlite3.connect(self.path) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        return copy

    def restore(self, copy: Path) -> None:
        """The disk is restored from the copy and the station starts again."""
        self.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(copy) as src, sqlite3.connect(self.path) as dst:
            src.backup(dst)
        self.open()

    def rows(self, table: Any = t.outbox) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(table)).mappings())


@pytest.fixture
def rig(stocked: Server, tmp_path: Path) -> Rig:
    return Rig(stocked, new_station(stocked, "RK01"), tmp_path / "st.db")


def _server_events(server: Server, event_ids: list[str]) -> dict[str, tuple[str, int, str]]:
    """event_id -> (replica, seq, sha256) of the events the server applied or recorded under their own id."""
    with server.db.session_scope() as s:
        rows = s.execute(
            select(SyncEvent.event_id, SyncEvent.replica_id, SyncEvent.seq, SyncEvent.sha256).where(
                SyncEvent.event_id.in_(event_ids)
            )
        ).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _drained_under_a_new_replica(rig: Rig, old: str, every: list[str]) -> None:
    assert rig.client.stopped is None and rig.store.depth() == 0
    assert rig.store.replica_id() != old
    on_server = _server_events(rig.server, every)
    assert sorted(on_server) == sorted(every)  # I1: every event of both databases, once by event_id
    for row in rig.rows():
        assert on_server[row["event_id"]][2] == row["sha256"]
    with rig.server.db.session_scope() as s:
        new = s.get_one(Replica, rig.store.replica_id())
        seqs = s.scalars(select(SyncEvent.seq).where(SyncEvent.replica_id == new.replica_id)).all()
        alarms = s.scalars(select(FloorException.kind).where(FloorException.station_id == "RK01")).all()
    assert sorted(seqs) == list(range(1, new.last_seq + 1)) == [r["seq"] for r in rig.rows()]  # I3
    assert "database_restored" in alarms  # the supervisor hears of it, though sync went on


def test_a_restore_found_by_a_pull_re_keys_and_drains(rig: Rig) -> None:
    every = [rig.record() for _ in range(2)]
    rig.drain()
    copy, old = rig.backup(), rig.store.replica_id()
    every += [rig.record() for _ in range(3)]
    rig.drain()
    rig.restore(copy)
    every.append(rig.record())  # seq 3 again, another event
    assert rig.client.pull_once()  # the server holds seq 5 of a database that reached 3
    assert rig.store.replica_id() != old and [r["seq"] for r in rig.rows()] == [1]
    assert rig.client.notice == "database was restored from a copy: re-sent 1 scan as a new replica"
    rig.drain()
    _drained_under_a_new_replica(rig, old, every)
    retired = rig.rows(t.retired_replicas)
    assert [(r["replica_id"], r["reason"], r["last_seq"], r["resent"]) for r in retired] == [
        (old, "server_ahead", 3, 1)
    ]


def test_a_copy_taken_right_after_a_re_key_and_restored_later_re_keys_again(rig: Rig) -> None:
    every = [rig.record() for _ in range(2)]
    rig.drain()
    copy, first = rig.backup(), rig.store.replica_id()
    every += [rig.record() for _ in range(3)]
    rig.drain()
    rig.restore(copy)
    every.append(rig.record())
    assert rig.client.pull_once()  # re-keyed: a second replica, nothing sent under it yet
    second = rig.store.replica_id()
    copy = rig.backup()  # the night's backup, taken right then
    every += [rig.record() for _ in range(2)]
    rig.drain()  # the second replica sends its 3 events
    rig.restore(copy)  # the disk is restored again: the second replica with 1 event, the server holds 3
    every.append(rig.record())  # its seq 2 again, another event
    rig.drain()  # refused as a reused seq: re-keys once more (a new run) instead of stopping for good
    assert rig.store.replica_id() not in (first, second)
    _drained_under_a_new_replica(rig, second, every)


def test_a_restore_found_by_a_refused_reused_seq_re_keys_and_drains(rig: Rig) -> None:
    every = [rig.record() for _ in range(2)]
    rig.drain()
    copy, old = rig.backup(), rig.store.replica_id()
    every += [rig.record() for _ in range(3)]
    rig.drain()
    rig.restore(copy)
    every += [rig.record() for _ in range(4)]  # seq 3..6: 3..5 are other events on the server
    before = {r["event_id"]: r for r in rig.rows()}
    rig.drain()
    _drained_under_a_new_replica(rig, old, every)
    with rig.server.db.session_scope() as s:
        kinds = s.scalars(select(FloorException.kind)).all()
    assert "seq_reuse_mismatch" in kinds  # the server's own alarm stays
    archived = {r["event_id"]: r for r in rig.rows(t.retired_outbox)}
    assert set(archived) == set(before)  # every original row kept, as it was
    for event_id, row in before.items():
        assert {k: archived[event_id][k] for k in row} == dict(row)
    assert sorted(r["new_seq"] for r in archived.values() if r["new_seq"]) == [1, 2, 3, 4]


def test_re_keying_is_one_local_transaction(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    rig.record()
    rig.drain()
    copy, old = rig.backup(), rig.store.replica_id()
    rig.record()
    rig.drain()
    rig.restore(copy)
    rig.record()
    before = (rig.rows(), rig.rows(t.replica), rig.rows(t.sync_state))

    def crash(*_: Any) -> int:
        raise OSError("power lost half-way through the re-key")

    monkeypatch.setattr(retire, "_requeue", crash)  # after the archive was written, before the requeue
    with pytest.raises(OSError):
        rig.client.push_once()
    assert (rig.rows(), rig.rows(t.replica), rig.rows(t.sync_state)) == before
    assert rig.rows(t.retired_outbox) == rig.rows(t.retired_replicas) == []
    monkeypatch.undo()
    rig.open()  # the station starts again
    rig.drain()
    assert rig.store.depth() == 0 and rig.store.replica_id() != old


def test_a_re_sent_event_the_server_already_had_is_not_applied_twice(rig: Rig, released: list[int]) -> None:
    work = rig.station.claim()
    assert work is not None
    line = work["lines"][0]
    lease = (line["line_id"], line["token"])
    pick = {"line_id": line["line_id"], "units": 1}
    every = [rig.record("ItemPicked", pick, lease=lease)]
    rig.drain()
    every.append(rig.record("ItemPicked", pick, lease=lease))  # not yet sent when the copy is taken
    copy, old = rig.backup(), rig.store.replica_id()
    rig.drain()
    every.append(rig.record())
    rig.drain()
    rig.restore(copy)
    every.append(rig.record())  # seq 3 again, another event
    rig.drain()
    _drained_under_a_new_replica(rig, old, every)
    outcomes = [(r["seq"], r["event_id"], r["outcome"]) for r in rig.rows()]
    assert outcomes == [(1, every[1], ALREADY_RECEIVED), (2, every[3], None)]  # quiet, not a rejection
    with rig.server.db.session_scope() as s:
        picked = s.get_one(WorkLine, int(line["line_id"])).picked
        moved = s.scalar(select(func.sum(StockMove.delta)).where(StockMove.reason == "pick"))
    assert (picked, moved) == (2, -2)  # I2: two picks, each once


def test_an_answer_beyond_the_batch_acknowledges_only_the_batch(stocked: Server, tmp_path: Path) -> None:
    rig = Rig(stocked, new_station(stocked, "RK01"), tmp_path / "st.db", batch=2)
    every = [rig.record() for _ in range(3)]
    rig.drain()
    every += [rig.record() for _ in range(2)]  # seq 4, 5: not yet sent when the copy is taken
    copy, old = rig.backup(), rig.store.replica_id()
    rig.drain()
    every += [rig.record() for _ in range(2)]
    rig.drain()  # the server has 1..7
    rig.restore(copy)
    every += [rig.record() for _ in range(4)]  # seq 6..9: 6 and 7 are other events on the server
    assert rig.client.push_once() is PushState.SENT  # 4, 5 answered, with acked_through 7
    assert [r["seq"] for r in rig.rows() if not r["acked"]] == [6, 7, 8, 9]  # I6: not 6, 7
    rig.drain()
    _drained_under_a_new_replica(rig, old, every)
