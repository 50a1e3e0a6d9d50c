"""A packer verifies an order on the real App; wrong items are refused loudly; seal only when verified."""

from __future__ import annotations

from textual.widgets import Input

from app.station.ui.modals.override import OverrideModal
from app.station.ui.widgets.big_number import BigNumber
from app.station.ui.widgets.pack_lines import PackLinesTable
from app.station.ui.widgets.seal_panel import SealPanel
from devices.scan import Scan
from tests.ui.conftest import Terminal, press, scan, started, text, type_slowly, until, verdict
from tests.unit.station.conftest import BLUE, RED, TEA, gtin


def verified(t: Terminal) -> str:
    return t.app.screen_stack[1].query_one("#verified", BigNumber).value


def row(t: Terminal, sku: str) -> list[str]:
    table = t.app.screen_stack[1].query_one(PackLinesTable)
    return [str(getattr(c, "plain", c)) for c in table.get_row(sku)]


async def test_a_full_pack_ticks_up_each_line_then_weighs_and_seals(packer: Terminal) -> None:
    async with packer.run(size=(80, 24)) as pilot:
        await started(pilot, packer)
        await scan(pilot, packer, "OP-1001")
        await scan(pilot, packer, "T-0001")
        assert "Packing order 1001: 0 of 3 verified" in verdict(packer)[1]
        assert row(packer, "MUG-RED")[2:4] == ["2", "0"]

        await scan(pilot, packer, gtin(RED))
        assert row(packer, "MUG-RED")[2:4] == ["2", "1"] and verified(packer) == "1"
        await scan(pilot, packer, gtin(RED))
        await scan(pilot, packer, gtin(TEA))
        assert verified(packer) == "3" and row(packer, "TEA-20")[4] == "✔"
        seal = text(packer.app.screen.query_one(SealPanel))
        assert "BOX S (suggested)" in seal and "READY TO SEAL" in seal and "expected 750–850 g" in seal

        await pilot.press("s")  # no scale here: it asks for the weight first, then seals
        await until(pilot, lambda: isinstance(packer.app.focused, Input))
        await type_slowly(pilot, "800")
        await press(pilot, packer, "enter")
        colour, message = verdict(packer)
        assert colour == "-ok" and "Order 1001 sealed in box S" in message


async def test_a_wrong_item_is_refused_loudly_and_counts_nothing(packer: Terminal) -> None:
    async with packer.run(size=(80, 24)) as pilot:
        await started(pilot, packer)
        await scan(pilot, packer, "OP-1001")
        await scan(pilot, packer, "T-0001")
        await scan(pilot, packer, gtin(BLUE))
        colour, message = verdict(packer)
        assert colour == "-refused" and "Wrong item: scanned Blue Mug 350ml (MUG-BLU)" in message
        assert packer.bells == 1 and verified(packer) == "0"


async def test_an_extra_unit_is_refused(packer: Terminal) -> None:
    async with packer.run(size=(80, 24)) as pilot:
        await started(pilot, packer)
        await scan(pilot, packer, "OP-1001")
        await scan(pilot, packer, "T-0001")
        await scan(pilot, packer, gtin(TEA))
        await scan(pilot, packer, gtin(TEA))
        assert verdict(packer)[0] == "-refused" and "Too many" in verdict(packer)[1]
        assert row(packer, "TEA-20")[3] == "1"


async def test_sealing_before_verification_is_refused_until_a_supervisor_overrides(packer: Terminal) -> None:
    async with packer.run(size=(80, 24)) as pilot:
        await started(pilot, packer)
        await scan(pilot, packer, "OP-1001")
        await scan(pilot, packer, "T-0001")
        await scan(pilot, packer, gtin(RED))
        await scan(pilot, packer, "CMD-WEIGHT-800")
        await press(pilot, packer, "s")
        colour, message = verdict(packer)
        assert colour == "-refused" and "Cannot seal: 2 unit(s) not verified" in message

        await pilot.press("v")
        await until(pilot, lambda: isinstance(packer.app.screen, OverrideModal))
        packer.scanner.push(Scan("OP-9001", source="keyboard"))  # the supervisor scans their badge
        await until(pilot, lambda: packer.app.screen.query_one("#badge", Input).value == "OP-9001")
        await type_slowly(pilot, "4321")
        await pilot.press("enter")
        await type_slowly(pilot, "counted")
        await press(pilot, packer, "enter")
        colour, message = verdict(packer)
        assert colour == "-ok" and "sealed in box S with a supervisor override" in message
        overridden = [e for _, e in packer.rig.uow.store.outbox if e.type == "SealOverridden"]  # type: ignore[union-attr]
        assert overridden and overridden[0].payload["supervisor"] == "OP-9001"


async def test_an_override_with_a_wrong_pin_is_refused(packer: Terminal) -> None:
    async with packer.run(size=(80, 24)) as pilot:
        await started(pilot, packer)
        await scan(pilot, packer, "OP-1001")
        await scan(pilot, packer, "T-0001")
        await scan(pilot, packer, "CMD-WEIGHT-800")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(packer.app.focused, Input))
        await type_slowly(pilot, "OP-9001")
        await pilot.press("enter")
        await type_slowly(pilot, "1111")
        await pilot.press("enter")
        await type_slowly(pilot, "counted")
        await press(pilot, packer, "enter")
        colour, message = verdict(packer)
        assert colour == "-refused" and message.startswith("Wrong PIN: override refused.")
        assert not [e for _, e in packer.rig.uow.store.outbox if e.type == "OrderSealed"]  # type: ignore[union-attr]
