"""Picking when things go wrong: every refusal names what was scanned, what is expected, and what to do."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.work import ExpectKind, ShortReason, WorkKind, WorkUnit
from app.station.services.commands import PauseWork, ResumeWork, ShortLine, SkipLine, UndoLastScan
from tests.unit.station.conftest import BLUE, HONEY, RED, TEA, Rig, gs1, gtin, line


def at_red_mug(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1", gtin(TEA), "A-03-02-1")


def test_wrong_item_is_refused_naming_scanned_and_expected_and_line_stays_open(picker: Rig) -> None:
    at_red_mug(picker)
    v = picker.scan(gtin(BLUE))
    assert not v.accepted and v.code == "wrong_item"
    assert v.message == (
        "Wrong item: scanned Blue Mug 350ml (MUG-BLU). Take Red Mug 350ml (MUG-RED) from A-03-02-1, "
        "or press S to report short."
    )
    assert v.expect.kind is ExpectKind.PRODUCT and v.expect.qty == 2
    assert picker.station.line_view().taken == 0  # type: ignore[union-attr]


def test_wrong_location_is_refused_and_says_where_to_go(picker: Rig) -> None:
    picker.scan("T-0001")
    v = picker.scan("B-01-01-1")
    assert not v.accepted
    assert v.message == "Wrong location: scanned B-01-01-1. Go to A-01-01-1 for Tea 20 bags (TEA-20)."


def test_a_product_before_its_location_is_refused(picker: Rig) -> None:
    picker.scan("T-0001")
    v = picker.scan(gtin(TEA))
    assert v.code == "location_first" and "A-01-01-1" in v.message


def test_over_pick_is_refused_and_nothing_is_counted(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1")
    v = picker.scan("CMD-QTY-5")
    assert not v.accepted and v.code == "over_pick"
    assert "only 1 more Tea 20 bags (TEA-20) needed" in v.message


def test_a_case_that_would_over_pick_is_refused(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1")
    v = picker.scan(gtin(TEA, 1))
    assert v.code == "over_pick" and "this scan counts 6" in v.message
    assert picker.station.line_view().taken == 0  # type: ignore[union-attr]


def test_lot_tracked_product_without_lot_asks_for_the_lot(make_picker: Callable[[WorkUnit], Rig]) -> None:
    rig = make_picker(
        WorkUnit("W", WorkKind.SINGLE, ["1001"], [line("L1", HONEY, "A-01-01-1", 1, 1, lot="L42")])
    )
    rig.scans("T-0001", "A-01-01-1")
    v = rig.scan(gtin(HONEY))
    assert v.code == "lot_needed" and "Scan the lot" in v.message


def test_wrong_lot_is_refused_naming_the_lot_to_take(make_picker: Callable[[WorkUnit], Rig]) -> None:
    rig = make_picker(
        WorkUnit("W", WorkKind.SINGLE, ["1001"], [line("L1", HONEY, "A-01-01-1", 1, 1, lot="L42")])
    )
    rig.scans("T-0001", "A-01-01-1")
    v = rig.scan(gs1(HONEY, "L41", "271231"), gs1=True)
    assert v.code == "wrong_lot"
    assert "scanned lot L41 of Honey 250g (HONEY). Take lot L42 from A-01-01-1" in v.message
    ok = rig.scan(gs1(HONEY, "L42", "271231"), gs1=True)
    assert ok.accepted and ok.code == "line_done"


def test_an_expired_unit_is_refused(make_picker: Callable[[WorkUnit], Rig]) -> None:
    rig = make_picker(WorkUnit("W", WorkKind.SINGLE, ["1001"], [line("L1", HONEY, "A-01-01-1", 1, 1)]))
    rig.scans("T-0001", "A-01-01-1")
    v = rig.scan(gs1(HONEY, "L1", "260101"), gs1=True)  # the fake clock says 2026-05-01
    assert v.code == "expired" and "expired on 2026-01-01" in v.message


def test_short_pick_records_reason_missing_quantity_and_a_count_task(picker: Rig) -> None:
    at_red_mug(picker)
    picker.scan(gtin(RED))
    v = picker.station.handle(ShortLine(ShortReason.DAMAGED))
    assert v.accepted and v.code == "line_shorted"
    assert "1 of 2, 1 missing" in v.message and "count task goes to A-03-02-1" in v.message
    events = {e.type: e for _, e in picker.uow.store.outbox}
    assert events["LineShorted"].payload["reason"] == "damaged"
    assert events["LineShorted"].payload["missing"] == 1
    assert events["LineShorted"].lease == ("L1", 7)
    assert events["CountTaskRequested"].payload["location"] == "A-03-02-1"
    assert v.expect.kind is ExpectKind.CLOSE


def test_short_by_scan_needs_the_reason_label_as_confirmation(picker: Rig) -> None:
    at_red_mug(picker)
    early = picker.scan("CMD-NOTFOUND")
    assert not early.accepted and early.code == "short_not_requested"
    asked = picker.scan("CMD-SHORT")
    assert asked.accepted and asked.expect.kind is ExpectKind.SHORT_REASON
    cancelled = picker.scan("CMD-CANCEL")
    assert cancelled.accepted and cancelled.expect.kind is ExpectKind.PRODUCT
    picker.scan("CMD-SHORT")
    assert picker.scan("CMD-NOTFOUND").code == "line_shorted"


def test_skip_moves_the_line_to_the_end_and_it_must_still_be_picked(picker: Rig) -> None:
    picker.scan("T-0001")
    skipped = picker.station.handle(SkipLine())
    assert skipped.accepted and skipped.expect.location == "A-03-02-1"
    picker.scans("A-03-02-1", gtin(RED), gtin(RED))
    back = picker.station.line_view()
    assert back is not None and back.location == "A-01-01-1" and back.sku == "TEA-20"
    assert picker.station.handle(SkipLine()).code == "last_line"


def test_undo_takes_back_the_last_scan_until_the_line_is_confirmed(picker: Rig) -> None:
    at_red_mug(picker)
    picker.scan(gtin(RED))
    v = picker.station.handle(UndoLastScan())
    assert v.accepted and "0 of 2 taken" in v.message
    assert picker.station.line_view().taken == 0  # type: ignore[union-attr]
    undone_location = picker.scan("CMD-UNDO")
    assert undone_location.expect.kind is ExpectKind.LOCATION
    nothing = picker.scan("CMD-UNDO")
    assert not nothing.accepted and nothing.code == "nothing_to_undo"


def test_a_confirmed_line_cannot_be_undone(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1", gtin(TEA))  # Tea line done (1 of 1)
    v = picker.station.handle(UndoLastScan())
    assert not v.accepted and "cannot be undone" in v.message


def test_paused_work_refuses_scans_until_resumed(picker: Rig) -> None:
    picker.scan("T-0001")
    assert picker.station.handle(PauseWork()).expect.kind is ExpectKind.RESUME
    refused = picker.scan("A-01-01-1")
    assert not refused.accepted and refused.code == "paused"
    assert picker.station.handle(ResumeWork()).expect.location == "A-01-01-1"
    assert picker.scan("A-01-01-1").accepted


def test_a_scan_against_an_expired_lease_is_refused_and_recorded(picker: Rig) -> None:
    picker.scans("T-0001", "A-01-01-1")
    picker.clock.advance(20_000)  # past the line's boot-clock deadline
    v = picker.scan(gtin(TEA))
    assert not v.accepted and v.code == "lease_expired"
    assert "nothing was recorded" in v.message
    assert picker.uow.store.scans[-1].outcome == "refused"
    assert picker.uow.store.scans[-1].lease_token == 7


def test_an_unknown_barcode_is_refused_with_the_reason(picker: Rig) -> None:
    picker.scan("T-0001")
    v = picker.scan("12345")
    assert not v.accepted and v.code == "unknown_barcode" and "12345" in v.message


def test_scans_before_a_badge_are_refused_and_ask_for_the_badge() -> None:
    from tests.unit.station.conftest import make_rig

    rig = make_rig("picker")
    v = rig.scan("A-01-01-1")
    assert not v.accepted and v.expect.kind is ExpectKind.BADGE


def test_an_unknown_badge_is_refused() -> None:
    from tests.unit.station.conftest import make_rig

    rig = make_rig("picker")
    v = rig.scan("OP-4040")
    assert v.code == "unknown_badge" and rig.station.session_view().operator is None


def test_claiming_work_offline_says_so_and_keeps_the_operator_signed_in() -> None:
    from app.station.services.commands import ClaimWork
    from tests.unit.station.conftest import make_rig

    rig = make_rig("picker")
    rig.source.offline = True
    rig.scan("OP-1001")
    v = rig.station.handle(ClaimWork())
    assert not v.accepted and v.message.startswith("Offline: cannot claim new work")
    assert rig.station.session_view().operator == "OP-1001"
