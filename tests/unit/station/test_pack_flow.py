"""Packing: open by tote or order label, verify every unit, then seal with box and weight (or an override)."""

from __future__ import annotations

from app.domain.work import ExpectKind
from app.station.services.commands import OverrideSeal, PrepareSeal, SealOrder
from tests.unit.station.conftest import BLUE, RED, TEA, Rig, gtin


def verify_all(packer: Rig) -> None:
    packer.scans("T-0001", gtin(RED), gtin(RED), gtin(TEA))


def test_scanning_a_tote_fetches_the_order_and_asks_for_units(packer: Rig) -> None:
    v = packer.scan("T-0001")
    assert v.accepted and v.code == "pack_started"
    assert v.expect.kind is ExpectKind.UNIT and "0 of 3 verified" in v.expect.prompt
    assert packer.source.claims == ["pack:T-0001"]


def test_an_order_label_opens_the_order_too(packer: Rig) -> None:
    assert packer.scan("ORD-1001").code == "pack_started"


def test_every_unit_is_verified_against_the_order(packer: Rig) -> None:
    packer.scan("T-0001")
    v = packer.scan(gtin(RED))
    assert v.accepted and "Verified Red Mug 350ml (MUG-RED): 1 of 2 (1 of 3 units)" in v.message
    view = packer.station.pack_view()
    assert view is not None and [(ln.sku, ln.verified, ln.qty) for ln in view.lines] == [
        ("MUG-RED", 1, 2),
        ("TEA-20", 0, 1),
    ]


def test_wrong_item_at_packing_is_refused_with_what_to_do(packer: Rig) -> None:
    packer.scan("T-0001")
    v = packer.scan(gtin(BLUE))
    assert not v.accepted and v.code == "wrong_item"
    assert v.message.startswith(
        "Wrong item: scanned Blue Mug 350ml (MUG-BLU). Order 1001 has none; put it aside"
    )
    assert "Next: Scan the next unit" in v.message


def test_over_scan_is_refused(packer: Rig) -> None:
    packer.scans("T-0001", gtin(TEA))
    v = packer.scan(gtin(TEA))
    assert not v.accepted and v.code == "over_scan"


def test_sealing_before_every_unit_is_verified_is_refused(packer: Rig) -> None:
    packer.scans("T-0001", gtin(RED))
    v = packer.station.handle(SealOrder("S", 800))
    assert not v.accepted and v.code == "seal_refused"
    assert "2 unit(s) not verified" in v.message and "supervisor" in v.message


def test_sealing_with_all_verified_and_the_right_weight_succeeds(packer: Rig) -> None:
    verify_all(packer)
    assert packer.station.pack_view().suggested_box == "S"  # type: ignore[union-attr]
    v = packer.station.handle(SealOrder("S", 650 + 150))  # contents 650 g + box 150 g
    assert v.accepted and v.code == "order_sealed"
    assert v.expect.kind is ExpectKind.ORDER_LABEL
    assert "OrderSealed" in packer.events()


def test_a_weight_outside_tolerance_is_refused_with_the_expected_range(packer: Rig) -> None:
    verify_all(packer)
    v = packer.station.handle(SealOrder("S", 1200))
    assert not v.accepted and "weight 1200 g is outside 750–850 g" in v.message


def test_a_supervisor_override_with_reason_seals_and_is_recorded(packer: Rig) -> None:
    packer.scans("T-0001", gtin(RED))
    v = packer.station.handle(OverrideSeal("S", 500, "OP-9001", "4321", "customer asked to ship partial"))
    assert v.accepted and "supervisor override" in v.message
    override = next(e for _, e in packer.uow.store.outbox if e.type == "SealOverridden")
    assert override.payload["supervisor"] == "OP-9001"
    assert override.payload["reason"] == "customer asked to ship partial"


def test_an_override_with_a_wrong_pin_or_no_supervisor_is_refused(packer: Rig) -> None:
    packer.scans("T-0001", gtin(RED))
    assert packer.station.handle(OverrideSeal("S", 500, "OP-9001", "0000", "x")).code == "wrong_pin"
    assert packer.station.handle(OverrideSeal("S", 500, "OP-1001", "4321", "x")).code == "not_supervisor"
    assert packer.station.handle(OverrideSeal("S", 500, "OP-9001", "4321", "  ")).code == "reason_needed"


def test_sealing_by_command_labels_uses_the_chosen_box_and_weight(packer: Rig) -> None:
    verify_all(packer)
    assert packer.scan("CMD-DONE").code == "weigh_first"
    assert packer.scans("CMD-BOX-M", "CMD-WEIGHT-900")[1].accepted
    assert packer.scan("CMD-DONE").code == "order_sealed"


def test_another_order_cannot_be_opened_before_the_open_one_is_sealed(packer: Rig) -> None:
    packer.scan("T-0001")
    v = packer.scan("T-0002")
    assert not v.accepted and v.code == "finish_first"


def test_an_order_the_server_does_not_know_is_refused(packer: Rig) -> None:
    v = packer.scan("T-0404")
    assert not v.accepted and "not waiting for packing" in v.message


def test_offline_packer_is_told_the_order_is_not_on_this_station(packer: Rig) -> None:
    packer.source.offline = True
    v = packer.scan("T-0001")
    assert not v.accepted and v.message.startswith("Offline: order T-0001 is not on this station")


def test_a_weight_and_box_set_at_the_bench_are_what_the_seal_label_uses(packer: Rig) -> None:
    verify_all(packer)
    assert packer.scan("CMD-DONE").code == "weigh_first"  # nothing weighed yet
    v = packer.station.handle(PrepareSeal(box="M", weight_g=650 + 250, source="scale"))
    assert v.accepted
    view = packer.station.pack_view()
    assert view is not None and (view.box, view.weight_g) == ("M", 900)
    sealed = packer.scan("CMD-DONE")
    assert sealed.accepted and "box M" in sealed.message
