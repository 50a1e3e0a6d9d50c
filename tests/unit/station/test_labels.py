"""A command label and its key take one route: the label is the command the key sends; both answer alike.

Only what is recorded differs: the scanned text for the label, `key:…` for the key.
"""

from __future__ import annotations

import pytest

from app.domain.work import ShortReason
from app.station.services import commands as c
from app.station.services.labels import pack_label, pick_label
from app.station.services.ports import ClaimedWork
from tests.unit.station.conftest import RED, TEA, Rig, gtin, make_rig, pack_order, single_order_work

PICK_PAIRS: list[tuple[str, c.Command]] = [
    ("CMD-SHORT", c.RequestShort()),
    ("CMD-SKIP", c.SkipLine()),
    ("CMD-UNDO", c.UndoLastScan()),
    ("CMD-CANCEL", c.CancelPending()),
    ("CMD-PAUSE", c.PauseWork()),
    ("CMD-DONE", c.CloseTotes()),
    ("CMD-QTY-1", c.EnterQuantity(1)),
]


def test_every_picker_label_is_the_command_its_key_sends() -> None:
    for label, command in [
        *PICK_PAIRS,
        ("CMD-RESUME", c.ResumeWork()),
        ("CMD-NOTFOUND", c.ShortLine(ShortReason.NOT_FOUND)),
    ]:
        name = label.removeprefix("CMD-").lower()
        assert pick_label(name, "key") == command, label
    assert pick_label("box-m", "key") is None  # a packer's label


def test_every_packer_label_is_the_command_its_key_sends() -> None:
    assert pack_label("box-m", "key") == c.PrepareSeal(box="m")
    assert pack_label("weight-1234", "key") == c.PrepareSeal(weight_g=1234)
    assert (
        pack_label("seal", "key") == pack_label("done", "key") == c.SealOrder()
    )  # the order's box and weight
    assert pack_label("skip", "key") is None


def _picker_on_the_red_mug() -> Rig:
    rig = make_rig("picker")
    rig.source.pick_queue.append(ClaimedWork(single_order_work()))
    rig.scan("OP-1001")
    rig.station.handle(c.ClaimWork())
    rig.scans("T-0001", "A-01-01-1", gtin(TEA), "A-03-02-1", gtin(RED))
    return rig


@pytest.mark.parametrize(("label", "command"), PICK_PAIRS, ids=[p[0] for p in PICK_PAIRS])
def test_a_picker_label_and_its_key_answer_alike(label: str, command: c.Command) -> None:
    by_scan, by_key = _picker_on_the_red_mug(), _picker_on_the_red_mug()
    scanned, keyed = by_scan.scan(label), by_key.station.handle(command)
    assert (scanned.accepted, scanned.code, scanned.message) == (keyed.accepted, keyed.code, keyed.message)
    assert by_scan.station.line_view() == by_key.station.line_view()
    texts = {s.text for s in by_scan.uow.store.scans} ^ {s.text for s in by_key.uow.store.scans}
    assert label in texts  # recorded as what was scanned, the key as key:…


def _packer_with_the_order_verified() -> Rig:
    rig = make_rig("packer")
    order = pack_order()
    rig.source.pack_orders.update({"T-0001": order, "1001": order})
    rig.scans("OP-1001", "T-0001", gtin(RED), gtin(RED), gtin(TEA))
    return rig


@pytest.mark.parametrize(
    ("labels", "commands"),
    [
        (["CMD-BOX-M"], [c.PrepareSeal(box="M")]),
        (["CMD-BOX-Q"], [c.PrepareSeal(box="Q")]),
        (["CMD-WEIGHT-700"], [c.PrepareSeal(weight_g=700)]),
        (
            ["CMD-BOX-M", "CMD-WEIGHT-1000", "CMD-SEAL"],
            [c.PrepareSeal(box="M", weight_g=1000), c.SealOrder("M", 1000)],
        ),
    ],
)
def test_a_packer_label_and_its_key_answer_alike(labels: list[str], commands: list[c.Command]) -> None:
    by_scan, by_key = _packer_with_the_order_verified(), _packer_with_the_order_verified()
    scanned = by_scan.scans(*labels)[-1]
    keyed = [by_key.station.handle(command) for command in commands][-1]
    assert (scanned.accepted, scanned.code, scanned.message) == (keyed.accepted, keyed.code, keyed.message)
    assert by_scan.station.pack_view() == by_key.station.pack_view()
