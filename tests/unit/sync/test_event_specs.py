"""The server declares every event type once (sync.ingest.specs), and everything else is derived from that."""

from __future__ import annotations

from dataclasses import MISSING, fields

from app.domain import events as ev
from sync import schemas as w
from sync.ingest import specs
from sync.ingest.specs import SPECS, Reads


def test_every_registered_event_type_has_exactly_one_spec() -> None:
    declared = [spec.event for spec in SPECS.values()]
    assert len(declared) == len(set(declared))
    assert set(SPECS) == set(ev.EVENT_TYPES)
    for name, spec in SPECS.items():
        assert spec.type == name and spec.event is ev.EVENT_TYPES[name]


def test_reads_match_what_the_payload_names() -> None:
    for spec in SPECS.values():
        names = {f.name for f in fields(spec.event)}
        if Reads.LEASED_LINE in spec.reads:
            assert spec.event.LEASED, spec.type
        else:
            assert not spec.event.LEASED, f"{spec.type} is recorded under a lease: its line must be read"
        if spec.reads & (Reads.ORDER | Reads.ORDER_WORK_LINES | Reads.ORDER_LINES):
            assert "order_id" in names, spec.type
        if Reads.WORK in spec.reads:
            work_id = next(f for f in fields(spec.event) if f.name == "work_id")
            assert work_id.default is MISSING, f"{spec.type} reads the work unit its payload must name"


def test_derived_tables() -> None:
    locking = specs.STOCK_LOCKING
    assert locking == {"LineShorted"}
    assert specs.types_reading(Reads.WORK) == {"ToteAssigned", "ToteClosed"}
    assert specs.types_reading(Reads.ORDER_WORK_LINES) == {"ToteClosed"}
    assert specs.types_reading(Reads.ORDER_LINES) == {"OrderSealed"}


def _push_event(type_: str) -> w.PushEvent:
    return w.PushEvent(
        seq=1, event_id="e", type=type_, v=1, lease=None, payload={}, created_wall=1.0, sha256="0" * 64
    )


def test_a_batch_needs_locked_stock_only_for_a_type_that_says_so() -> None:
    assert specs.needs_locked_stock([_push_event("ItemPicked"), _push_event("LineShorted")])
    assert not specs.needs_locked_stock([_push_event("ItemPicked"), _push_event("PalletTeleported")])
