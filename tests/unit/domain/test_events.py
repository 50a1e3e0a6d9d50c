"""The typed events and their registry: every type round-trips, payloads are exactly the wire's, unknown names
are refused, and payloads recorded before the types existed decode and encode to the same bytes and digest."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

import pytest

from app.domain import events as ev
from sync.schemas import canonical_json, event_sha256

LINE = {"line_id": "L1", "order_id": "O1"}
STAMP = {
    "station_id": "st-1",
    "operator": "B7",
    "role": "picker",
    "scan_id": "S9",
    "scan": "x",
    "source": "cam",
}

#: one event of every type, with the payload today's wire carries for it
SAMPLES: list[tuple[ev.Event, dict[str, Any]]] = [
    (ev.OperatorSignedIn(badge="B7", role="picker"), {"badge": "B7", "role": "picker"}),
    (ev.OperatorSignedOut(badge="B7"), {"badge": "B7"}),
    (ev.ScanRefused(code="wrong_item", message="No."), {"code": "wrong_item", "message": "No."}),
    (
        ev.ScanRefused(code="over_pick", message="No.", **LINE),
        {"code": "over_pick", "message": "No.", **LINE},
    ),
    (
        ev.ScanNoted(code="ok", outcome="accepted", line_id="L1"),
        {"code": "ok", "outcome": "accepted", "line_id": "L1"},
    ),
    (
        ev.ToteAssigned(work_id="W1", order_id="O1", tote="T1"),
        {"work_id": "W1", "order_id": "O1", "tote": "T1"},
    ),
    (ev.LocationConfirmed(**LINE, location="A-01"), {**LINE, "location": "A-01"}),
    (
        ev.ItemVerified(**LINE, sku="MUG", units=2, lot="L7", expiry=date(2030, 1, 2)),
        {**LINE, "sku": "MUG", "units": 2, "lot": "L7", "expiry": "2030-01-02"},
    ),
    (
        ev.ItemPicked(
            **LINE, sku="MUG", units=1, picked=3, qty=4, location="A-01", line_done=False, tote="T1"
        ),
        {**LINE, "sku": "MUG", "units": 1, "picked": 3, "qty": 4, "location": "A-01", "line_done": False}
        | {"tote": "T1"},
    ),
    (ev.ScanUndone(**LINE, step="location", picked=0), {**LINE, "step": "location", "picked": 0}),
    (
        ev.LineShorted(**LINE, sku="MUG", location="A-01", reason="damaged", picked=1, missing=3, qty=4),
        {**LINE, "sku": "MUG", "location": "A-01", "reason": "damaged", "picked": 1, "missing": 3, "qty": 4},
    ),
    (
        ev.CountTaskRequested(**LINE, location="A-01", sku="MUG", reason="damaged"),
        {**LINE, "location": "A-01", "sku": "MUG", "reason": "damaged"},
    ),
    (ev.LineSkipped(**LINE, location="A-01"), {**LINE, "location": "A-01"}),
    (ev.WorkPaused(work_id="W1"), {"work_id": "W1"}),
    (ev.WorkResumed(work_id="W1"), {"work_id": "W1"}),
    (
        ev.ToteClosed(work_id="W1", order_id="O1", tote="T1", lines=(ev.ToteLine("L1", "MUG", 4, "picked"),)),
        {
            "work_id": "W1",
            "order_id": "O1",
            "tote": "T1",
            "lines": [{"line_id": "L1", "sku": "MUG", "picked": 4, "status": "picked"}],
        },
    ),
    (ev.PackStarted(order_id="O1"), {"order_id": "O1"}),
    (
        ev.UnitVerified(order_id="O1", sku="MUG", units=1, verified=1, qty=2),
        {"order_id": "O1", "sku": "MUG", "units": 1, "verified": 1, "qty": 2},
    ),
    (
        ev.SealOverridden(order_id="O1", supervisor="SUP", reason="ok", problems=("weight off",)),
        {"order_id": "O1", "supervisor": "SUP", "reason": "ok", "problems": ["weight off"]},
    ),
    (
        ev.OrderSealed(order_id="O1", box="B2", weight_g=510, expected_weight_g=500, overridden=True),
        {"order_id": "O1", "box": "B2", "weight_g": 510, "expected_weight_g": 500, "overridden": True},
    ),
]


def test_every_registered_type_has_a_sample() -> None:
    assert {e.TYPE for e, _ in SAMPLES} == set(ev.EVENT_TYPES)
    assert len(ev.EVENT_TYPES) == 19


@pytest.mark.parametrize(("event", "payload"), SAMPLES, ids=lambda x: getattr(x, "TYPE", ""))
def test_payload_is_the_wire_dict_and_round_trips(event: ev.Event, payload: dict[str, Any]) -> None:
    assert event.to_payload() == payload
    assert ev.from_payload(event.TYPE, payload) == event
    stamped = {**STAMP, **payload}
    back = ev.from_payload(event.TYPE, stamped)
    assert back.to_payload() == stamped
    assert back.operator == "B7"


def test_wire_names_are_the_class_names() -> None:
    for name, cls in ev.EVENT_TYPES.items():
        assert cls.__name__ == name == cls.TYPE
        assert cls.VERSION == 1


def test_unknown_wire_name_is_refused() -> None:
    with pytest.raises(ev.UnknownEventType):
        ev.event_class("ItemTeleported")
    with pytest.raises(ev.UnknownEventType):
        ev.from_payload("ItemTeleported", {})


def test_unknown_field_and_missing_field_are_refused() -> None:
    with pytest.raises(ValueError, match="colour"):
        ev.from_payload("WorkPaused", {"work_id": "W1", "colour": "red"})
    with pytest.raises(TypeError):
        ev.from_payload("WorkPaused", {})


def test_events_are_frozen() -> None:
    e = ev.WorkPaused(work_id="W1")
    with pytest.raises(FrozenInstanceError):
        e.work_id = "W2"  # type: ignore[misc]


def test_lease_follows_the_line_for_line_events_only() -> None:
    assert (
        ev.ItemPicked(**LINE, sku="M", units=1, picked=1, qty=1, location="A", line_done=True).lease_line_id
        == "L1"
    )
    assert ev.ScanRefused(code="x", message="m", **LINE).lease_line_id == "L1"
    assert ev.ScanRefused(code="x", message="m").lease_line_id is None
    assert ev.ScanNoted(code="ok", outcome="accepted", line_id="L1").lease_line_id is None  # never leased
    assert ev.ToteAssigned(work_id="W", order_id="O", tote="T").lease_line_id is None


#: outbox rows as stations stored them before the events were typed (payload column, sorted compact JSON)
OLD_ROWS = [
    (
        "ItemPicked",
        '{"expiry":"2031-05-01","line_done":true,"line_id":"12","location":"A-01-1","lot":"L-9","operator":"B100",'
        '"order_id":"7","picked":2,"qty":2,"role":"picker","scan":"0105000000000017","scan_id":"0190-ab",'
        '"sku":"MUG-RED","source":"camera","station_id":"picker-1","tote":"T-1","units":1,"work_id":"3"}',
    ),
    (
        "ToteClosed",
        '{"lines":[{"line_id":"12","picked":2,"sku":"MUG-RED","status":"picked"}],"operator":"B100","order_id":"7",'
        '"role":"picker","scan":"CMD-CLOSE","scan_id":"0190-ac","source":"keyboard","station_id":"picker-1",'
        '"tote":"T-1","work_id":"3"}',
    ),
    (
        "SealOverridden",
        '{"operator":"B200","order_id":"7","problems":["weight 510 g is outside 480–520 g","x"],'
        '"reason":"checked","role":"packer","source":"key","station_id":"pack-1","supervisor":"SUP1"}',
    ),
    ("OperatorSignedOut", '{"badge":"B100","operator":"","role":"","source":"key","station_id":"picker-1"}'),
]


@pytest.mark.parametrize(("type_", "stored"), OLD_ROWS, ids=[t for t, _ in OLD_ROWS])
def test_old_outbox_rows_decode_and_encode_byte_for_byte(type_: str, stored: str) -> None:
    payload = json.loads(stored)
    again = ev.from_payload(type_, payload).to_payload()
    assert json.dumps(again, sort_keys=True, separators=(",", ":"), ensure_ascii=False) == stored
    assert canonical_json(again) == canonical_json(payload)
    lease = ("12", 5)
    assert event_sha256("e1", type_, 1, lease, again, 1.5) == event_sha256(
        "e1", type_, 1, lease, payload, 1.5
    )
