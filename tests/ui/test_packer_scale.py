"""A packer with a bench scale: a stable reading fills the weight, the packer still seals with S."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from app.config import Settings
from app.station.services.ports import PackOrder
from app.station.ui.factory import create_station_app
from app.station.ui.widgets.seal_panel import SealPanel
from devices.keyboard import KeyboardScanner
from devices.scale_factory import FakeScale
from tests.support.ui_fakes import FakeSync
from tests.ui.conftest import FROZEN_WALL, Terminal, packer_rig, press, scan, started, text, until, verdict
from tests.unit.station.conftest import RED, TEA, gtin, pack_order


def packer_with_scale(scale: FakeScale) -> Terminal:
    """The packer terminal on order 1001 (tote T-0001) and, with the same contents, 1002 (tote T-0002)."""
    rig = packer_rig()
    second = pack_order()
    second = PackOrder("1002", second.lines, tote="T-0002")
    rig.source.pack_orders.update({"T-0002": second, "1002": second})
    scanner, sync = KeyboardScanner(), FakeSync()
    app = create_station_app(
        Settings(),
        rig.station,
        scanner,
        role="packer",
        sync=sync,
        scale=scale,
        wall_clock=lambda: FROZEN_WALL,
    )
    return Terminal(app, rig, scanner, sync)


def seal_panel(t: Terminal) -> str:
    return text(t.app.screen_stack[1].query_one(SealPanel))


def sealed_weights(t: Terminal) -> list[Any]:
    assert t.rig is not None
    return [e.payload["weight_g"] for _, e in t.rig.uow.store.outbox if e.type == "OrderSealed"]


async def verify_tote(pilot: Pilot[Any], t: Terminal, tote: str) -> None:
    for code in (tote, gtin(RED), gtin(RED), gtin(TEA)):
        await scan(pilot, t, code)


async def test_a_stable_scale_reading_fills_the_weight_and_sealing_still_waits_for_the_packer() -> None:
    scale = FakeScale()
    t = packer_with_scale(scale)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await scan(pilot, t, "OP-1001")
        await verify_tote(pilot, t, "T-0001")
        assert "WEIGHT — (G to type it)" in seal_panel(t)

        scale.place(812)
        await until(pilot, lambda: "WEIGHT 812 g (scale)" in seal_panel(t))
        assert "READY TO SEAL" in seal_panel(t) and sealed_weights(t) == []  # the scale alone seals nothing

        await press(pilot, t, "s")
        assert not isinstance(t.app.focused, Input)  # no weight asked: the scale gave it
        colour, message = verdict(t)
        assert colour == "-ok" and "Order 1001 sealed in box S" in message
        assert sealed_weights(t) == [812]


async def test_the_next_parcel_of_the_same_weight_is_read_again_after_the_scale_was_emptied() -> None:
    scale = FakeScale()
    t = packer_with_scale(scale)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await scan(pilot, t, "OP-1001")
        await verify_tote(pilot, t, "T-0001")
        scale.place(812)
        await until(pilot, lambda: "812 g (scale)" in seal_panel(t))
        await press(pilot, t, "s")

        scale.place(None)  # the sealed parcel leaves the scale
        await pilot.pause(0.3)
        await verify_tote(pilot, t, "T-0002")
        assert "WEIGHT — (G to type it)" in seal_panel(t)  # a new order starts without a weight
        scale.place(812)
        await until(pilot, lambda: "812 g (scale)" in seal_panel(t))
        await press(pilot, t, "s")
        assert "Order 1002 sealed" in verdict(t)[1] and sealed_weights(t) == [812, 812]
