"""Stock slots of a pushed batch of picks on PostgreSQL: read without locks, written last as deltas, and the
verdicts exactly those of a batch that held its slots locked throughout (sync.ingest.effects_stock).

Stations picking the same slot at once must all land their units; a slot that lost stock between the batch's
read and its write must refuse the picks it can no longer cover, as a locked read would have.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.server.stock.models import StockMove
from app.server.work.models import FloorException
from sync import schemas as w
from sync.ingest import push as sync_push
from sync.ingest.effects import BatchContext
from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import (
    Station,
    order,
    pick_all,
    release_orders,
    stock_of,
)

pytestmark = pytest.mark.postgres

SLOT = "A-01-02-1"  # where the `stocked` fixture keeps 5 × MUG-RED


@pytest.fixture
def db_url(pg_url: str) -> str:
    """This module's server runs on PostgreSQL only: SQLite locks the whole database for a batch anyway."""
    return pg_url


@pytest.fixture
def work(st1: Station, released: list[int]) -> dict[str, Any]:
    """st1's claim of the released order: 2 × MUG-RED, from a slot holding 5 (2 of them reserved for it)."""
    got = st1.claim()
    assert got is not None
    return got


#: another writer leaves the order's slot with 1 unit (reserved for it): too few for the order's 2
SLOT_DOWN_TO_ONE = "UPDATE stock_items SET on_hand = 1, reserved = 1 WHERE reserved = 2"


def _line_event(st: Station, type_: str, line: dict[str, Any], **payload: object) -> dict[str, Any]:
    base = {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"], **payload}
    return st.event(type_, base, (line["line_id"], line["token"]))


def _after_the_first_read(
    monkeypatch: pytest.MonkeyPatch, server: Server, sql: str
) -> Callable[[], list[bool]]:
    """Run `sql` (committed, on another connection) right after the first push batch has read its rows, as
    another writer would between the batch's read and its write. Returns the batches' `stock_locked` flags."""
    real, seen = sync_push.load, []

    def load(ctx: BatchContext, events: Sequence[w.PushEvent]) -> None:
        real(ctx, events)
        seen.append(ctx.rows.stock_locked)
        if len(seen) == 1:
            with server.db.engine.begin() as conn:
                conn.execute(text(sql))

    monkeypatch.setattr(sync_push, "load", load)
    return lambda: seen


def _outcomes(resp: Any) -> list[tuple[str, str]]:
    assert resp.status_code == 200, resp.text
    return [(r["outcome"], (r["reason"] or "").split(":")[0]) for r in resp.json()["results"]]


def test_a_station_picking_the_same_slot_goes_through_while_another_batch_is_between_read_and_write(
    monkeypatch: pytest.MonkeyPatch, stocked: Server, st1: Station, st2: Station
) -> None:
    (first,) = release_orders(stocked, order_body("a", lines=[("MUG-RED", 2)]))  # released apart: one
    (second,) = release_orders(stocked, order_body("b", lines=[("MUG-RED", 3)]))  # work unit each
    work1, work2 = st1.claim(), st2.claim()
    assert work1 is not None and work2 is not None and work1["orders"] != work2["orders"]
    real, answers = sync_push.load, []

    def load(ctx: BatchContext, events: Sequence[w.PushEvent]) -> None:
        real(ctx, events)
        if ctx.station_id == "ST01" and not answers:  # st2's whole push, before st1's batch writes
            other = threading.Thread(target=lambda: answers.append(st2.push(pick_all(st2, work2, "T-2"))))
            other.start()
            other.join(20)
            assert answers, "the second station waited for the first one's batch"

    monkeypatch.setattr(sync_push, "load", load)
    assert {o for o, _ in _outcomes(st1.push(pick_all(st1, work1, "T-1")))} == {"accepted"}
    assert {o for o, _ in _outcomes(answers[0])} == {"accepted"}
    assert [order(stocked, i)["status"] for i in (first, second)] == ["picked", "picked"]
    assert stock_of(stocked, "MUG-RED") == {SLOT: (0, 0)}  # 5 - 2 - 3: neither batch's change lost
    with stocked.db.session_scope() as s:
        assert s.scalar(select(func.sum(StockMove.delta)).where(StockMove.reason == "pick")) == -5


def test_a_slot_that_lost_stock_under_the_batch_refuses_the_pick_as_a_locked_read_would(
    monkeypatch: pytest.MonkeyPatch, stocked: Server, st1: Station, released: list[int], work: dict[str, Any]
) -> None:
    line = work["lines"][0]
    batches = _after_the_first_read(monkeypatch, stocked, SLOT_DOWN_TO_ONE)
    resp = st1.push([_line_event(st1, "ItemPicked", line, units=2)])
    assert _outcomes(resp) == [("rejected_recorded", "stock_mismatch")]
    assert batches() == [False, True]  # read unlocked, then done again with the slot locked
    assert stock_of(stocked, "MUG-RED") == {SLOT: (1, 1)}
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [0]
    with stocked.db.session_scope() as s:
        assert s.scalars(select(FloorException.kind)).all() == ["stock_mismatch"]
        assert s.scalar(select(func.count()).select_from(StockMove).where(StockMove.reason == "pick")) == 0


def test_a_pick_put_back_in_the_same_batch_is_still_checked_against_what_the_slot_held(
    monkeypatch: pytest.MonkeyPatch, stocked: Server, st1: Station, released: list[int], work: dict[str, Any]
) -> None:
    line = work["lines"][0]
    batches = _after_the_first_read(monkeypatch, stocked, SLOT_DOWN_TO_ONE)
    resp = st1.push(
        [
            _line_event(st1, "ItemPicked", line, units=2),
            _line_event(st1, "ScanUndone", line, step="units", units=2, picked=0),
        ]
    )
    # the slot's net change is nothing, yet the pick could not have happened: both refused, as when locked
    assert _outcomes(resp) == [
        ("rejected_recorded", "stock_mismatch"),
        ("rejected_recorded", "undo_too_much"),
    ]
    assert batches() == [False, True]
    assert stock_of(stocked, "MUG-RED") == {SLOT: (1, 1)}


def test_a_slot_that_changed_under_the_batch_but_still_covers_it_takes_the_picks_once(
    monkeypatch: pytest.MonkeyPatch, stocked: Server, st1: Station, released: list[int], work: dict[str, Any]
) -> None:
    batches = _after_the_first_read(
        monkeypatch, stocked, "UPDATE stock_items SET on_hand = 3 WHERE reserved = 2"
    )
    assert {o for o, _ in _outcomes(st1.push(pick_all(st1, work)))} == {"accepted"}
    assert batches() == [False]  # no second round: the change is added to what the slot held by then
    assert stock_of(stocked, "MUG-RED") == {SLOT: (1, 0)}
    assert order(stocked, released[0])["status"] == "picked"


def test_a_batch_with_a_short_locks_its_slots_from_the_start(
    monkeypatch: pytest.MonkeyPatch, stocked: Server, st1: Station, released: list[int], work: dict[str, Any]
) -> None:
    line = work["lines"][0]
    batches = _after_the_first_read(monkeypatch, stocked, "SELECT 1")
    events = [
        _line_event(st1, "ItemPicked", line, units=1),
        _line_event(st1, "LineShorted", line, reason="damaged"),
    ]
    assert {o for o, _ in _outcomes(st1.push(events))} == {"accepted"}
    assert batches() == [True]
