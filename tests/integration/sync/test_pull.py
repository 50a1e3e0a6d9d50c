"""Pull (S6, S7): one snapshot, a gap-free cursor even with late commits, resets, reference changes."""

from __future__ import annotations

import random
import threading
import time
from functools import partial

from sqlalchemy.orm import Session

from app.server.db.snapshot import run_snapshot
from app.server.db.tx import run_write
from app.server.stations.registry import append_changes
from sync import schemas as w
from sync.ingest.pull import pull
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock, Station


def test_a_first_pull_is_a_reset_with_reference_data_and_a_cursor(stocked: Server, st1: Station) -> None:
    body = st1.pull().json()
    assert body["reset"] is True and body["cursor"]
    snap = body["snapshot"]
    assert sorted(p["sku"] for p in snap["products"]) == ["MILK-1L", "MUG-BLU", "MUG-RED"]
    assert [x["code"] for x in snap["locations"]] == ["A-01-01-1", "A-01-02-1", "B-01-01-1"]
    again = st1.pull().json()
    assert again["reset"] is False and again["changes"] == []


def test_an_unknown_or_foreign_cursor_gets_a_reset(stocked: Server, st1: Station, st2: Station) -> None:
    st1.pull()
    st2.pull()
    for cursor in ("garbage", "x.1.1", st2.cursor, f"{(st1.cursor or '').split('.')[0]}.99.0"):
        assert st1.pull(cursor).json()["reset"] is True, cursor


def test_a_product_change_reaches_stations_through_pull(stocked: Server, st1: Station) -> None:
    st1.pull()
    resp = stocked.post("/products", [{"sku": "MUG-GRN", "name": "Green Mug", "barcodes": ["4006381333955"]}])
    assert resp.status_code == 200
    changes = st1.pull().json()["changes"]
    assert [(c["kind"], c["product"]["sku"]) for c in changes] == [("product.upsert", "MUG-GRN")]
    assert changes[0]["product"]["barcodes"][0]["code"] == "4006381333955"
    assert st1.pull().json()["changes"] == []


def test_pull_reports_what_the_server_has_acknowledged(stocked: Server, st1: Station) -> None:
    st1.push([st1.event("ScanNoted", {}), st1.event("ScanNoted", {})])
    assert st1.pull().json()["acked_through"] == 2


def test_a_pull_from_an_unregistered_replica_is_an_explicit_error(stocked: Server, st1: Station) -> None:
    other = Station(stocked, "ST01", st1.token)
    resp = other.pull()
    assert resp.status_code == 409 and resp.json()["error"] == "unknown_replica"


def test_a_compacted_cursor_gets_a_reset(stocked: Server, st1: Station) -> None:
    stocked.app.state.settings = stocked.app.state.settings.model_copy(update={"change_retention": 100})
    st1.pull()
    old = st1.cursor
    run_write(
        stocked.db, lambda s: append_changes(s, "ST01", [("event.outcome", _outcome(i)) for i in range(400)])
    )
    while st1.pull().json().get("more"):
        pass
    assert st1.pull(old).json()["reset"] is True
    assert st1.pull().json()["reset"] is False


def _pull(session: Session, *, cursor: str | None, replica_id: str, now: float) -> w.PullResponse:
    return pull(session, "ST01", replica_id, cursor, now, lease_s=60)


def _outcome(seq: int) -> dict:
    return w.EventOutcome(seq=seq, outcome="rejected_recorded", reason="test").model_dump()


def test_the_cursor_never_skips_a_change_committed_late(stocked: Server, st1: Station, clock: Clock) -> None:
    """Writers append to one station's log with random delays before COMMIT while a reader pulls."""
    st1.pull()
    db, total, writers = stocked.db, 120, 6
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        rng = random.Random(k)
        try:
            for i in range(total // writers):

                def work(s, i=i):  # type: ignore[no-untyped-def]
                    append_changes(s, "ST01", [("event.outcome", _outcome(k * 1000 + i))])
                    time.sleep(rng.uniform(0, 0.004))  # hold the row lock, commit late

                run_write(db, work, attempts=20)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(writers)]
    for t in threads:
        t.start()
    seen: list[int] = []
    cursor = st1.cursor
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = not any(t.is_alive() for t in threads)
        got = run_snapshot(db, partial(_pull, cursor=cursor, replica_id=st1.replica_id, now=clock.now))
        assert not got.reset
        seen += [c.seq for c in got.changes if isinstance(c, w.EventOutcome)]
        cursor = got.cursor
        if done and not got.more:
            break
    for t in threads:
        t.join(5)
    assert not errors, errors
    expected = sorted(k * 1000 + i for k in range(writers) for i in range(total // writers))
    assert sorted(seen) == expected and len(seen) == len(set(seen))
