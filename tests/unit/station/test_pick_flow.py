"""Picking, the normal way: badge, claim, tote, then location and units line by line in walking order."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.work import ExpectKind, WorkKind, WorkUnit
from app.station.services.commands import ClaimWork, CloseTotes, EnterQuantity
from tests.unit.station.conftest import RED, TEA, Rig, gtin, line


def test_after_claim_the_picker_is_asked_for_a_tote_for_the_order(picker: Rig) -> None:
    view = picker.station.session_view()
    assert view.operator == "OP-1001"
    assert view.expect.kind is ExpectKind.TOTE
    assert "order 1001" in view.expect.prompt


def test_lines_come_in_walking_order_not_order_line_order(picker: Rig) -> None:
    v = picker.scan("T-0001")
    assert v.accepted
    assert v.expect.kind is ExpectKind.LOCATION
    assert v.expect.location == "A-01-01-1"  # sequence 10 before 30


def test_a_full_single_order_pick_ends_with_the_tote_closed(picker: Rig) -> None:
    verdicts = picker.scans("T-0001", "A-01-01-1", gtin(TEA), "A-03-02-1", gtin(RED), gtin(RED))
    assert all(v.accepted for v in verdicts), [v.message for v in verdicts if not v.accepted]
    assert verdicts[2].code == "line_done"
    assert verdicts[4].message.startswith("Picked Red Mug 350ml (MUG-RED) into T-0001: 1 of 2. Take 1 more.")
    assert verdicts[-1].expect.kind is ExpectKind.CLOSE
    closed = picker.scan("CMD-DONE")
    assert closed.accepted and closed.code == "totes_closed"
    assert closed.expect.kind is ExpectKind.WORK
    assert "ToteClosed" in picker.events()
    assert picker.station.line_view() is None  # the work is finished; the picker claims more


def test_every_verdict_says_what_is_expected_next(picker: Rig) -> None:
    v = picker.scan("T-0001")
    assert "Next: Go to A-01-01-1 and scan the location label (1 × Tea 20 bags (TEA-20))." in v.message
    v = picker.scan("A-01-01-1")
    assert v.expect.kind is ExpectKind.PRODUCT
    assert (v.expect.sku, v.expect.qty, v.expect.location) == ("TEA-20", 1, "A-01-01-1")


def test_a_case_barcode_counts_its_units(make_picker: Callable[[WorkUnit], Rig]) -> None:
    rig = make_picker(WorkUnit("W-2", WorkKind.SINGLE, ["1001"], [line("L1", TEA, "A-01-01-1", 8, 1)]))
    rig.scans("T-0001", "A-01-01-1")
    v = rig.scan(gtin(TEA, 1))
    assert v.accepted and "6 of 8" in v.message
    assert rig.station.line_view().taken == 6  # type: ignore[union-attr]


def test_a_typed_quantity_counts_on_the_next_right_product_scan(
    make_picker: Callable[[WorkUnit], Rig],
) -> None:
    rig = make_picker(WorkUnit("W-2", WorkKind.SINGLE, ["1001"], [line("L1", TEA, "A-01-01-1", 40, 1)]))
    rig.scans("T-0001", "A-01-01-1")
    typed = rig.station.handle(EnterQuantity(24))
    assert typed.accepted and "Scan Tea 20 bags (TEA-20) once to take 24" in typed.message
    v = rig.scan(gtin(TEA))
    assert v.accepted and "24 of 40" in v.message
    assert rig.scan("CMD-QTY-16").accepted
    assert rig.scan(gtin(TEA)).code == "line_done"


def test_cluster_picking_puts_each_unit_into_its_orders_tote(make_picker: Callable[[WorkUnit], Rig]) -> None:
    unit = WorkUnit(
        "W-3",
        WorkKind.CLUSTER,
        ["1001", "1002"],
        [line("L1", RED, "A-03-02-1", 1, 1, "1001"), line("L2", RED, "A-03-02-1", 1, 2, "1002")],
    )
    rig = make_picker(unit)
    first = rig.scan("T-0001")
    assert "order 1002 (2 of 2)" in first.expect.prompt
    rig.scans("T-0002", "A-03-02-1")
    verified = rig.scan(gtin(RED))
    assert verified.expect.kind is ExpectKind.PUT and verified.expect.tote == "T-0001"
    wrong = rig.scan("T-0002")
    assert not wrong.accepted and wrong.code == "wrong_tote"
    assert wrong.message.startswith(
        "Wrong tote: scanned T-0002 (order 1002). Put 1 × Red Mug 350ml (MUG-RED) into"
    )
    assert rig.scan("T-0001").code == "line_done"
    assert [v.accepted for v in rig.scans("A-03-02-1", gtin(RED), "T-0002")] == [True, True, True]
    assert rig.scan("CMD-DONE").accepted
    assert rig.events().count("ToteClosed") == 2


def test_claim_resumes_local_work_before_asking_the_server(picker: Rig) -> None:
    v = picker.station.handle(ClaimWork())
    assert v.code == "work_resumed"
    assert picker.source.claims == ["pick:OP-1001"]  # only the first claim reached the server


def test_closing_totes_before_all_lines_are_done_is_refused(picker: Rig) -> None:
    picker.scan("T-0001")
    v = picker.station.handle(CloseTotes())
    assert not v.accepted and "Not done yet: 2 of 2 lines still open." in v.message
