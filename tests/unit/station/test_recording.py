"""Every scan is recorded with its outcome, and state, scan row and outbox commit together or not at all."""

from __future__ import annotations

import pytest

from app.domain.work import WorkState
from tests.unit.station.conftest import BLUE, TEA, Rig, gtin


def test_every_scan_accepted_or_refused_is_recorded_with_operator_line_and_token(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1", gtin(BLUE), gtin(TEA))
    rows = picker.uow.store.scans[-4:]
    assert [(r.text, r.outcome) for r in rows] == [
        ("T-0001", "accepted"),
        ("A-01-01-1", "accepted"),
        (gtin(BLUE), "refused"),
        (gtin(TEA), "accepted"),
    ]
    refused = rows[2]
    assert (refused.operator, refused.station_id, refused.line_id, refused.lease_token) == (
        "OP-1001",
        "ST01",
        "L2",
        7,
    )
    assert refused.code == "wrong_item" and refused.message.startswith("Wrong item")


def test_every_scan_reaches_the_outbox_refusals_included(picker: Rig) -> None:
    before = len(picker.uow.store.outbox)
    picker.scans("T-0001", "A-01-01-1", gtin(BLUE), "A-01-01-1")
    new = [e for _, e in picker.uow.store.outbox[before:]]
    assert [e.type for e in new] == ["ToteAssigned", "LocationConfirmed", "ScanRefused", "ScanNoted"]
    assert all(e.payload["operator"] == "OP-1001" and e.payload["station_id"] == "ST01" for e in new)
    assert new[2].payload["scan"] == gtin(BLUE)


def test_outbox_sequence_numbers_are_contiguous(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1", gtin(TEA))
    seqs = [s for s, _ in picker.uow.store.outbox]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_failed_commit_leaves_no_state_no_scan_row_and_no_event(picker: Rig) -> None:
    picker.scan("T-0001")
    store = picker.uow.store
    scans, events = len(store.scans), len(store.outbox)
    picker.uow.fail_on_commit = True
    with pytest.raises(OSError):
        picker.scan("A-01-01-1")  # no verdict is shown: the scan was not recorded
    assert (len(store.scans), len(store.outbox)) == (scans, events)
    unit = store.work["W-1"]
    assert unit.state is WorkState.PICKING and not unit.line("L2").location_confirmed
