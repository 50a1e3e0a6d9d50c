"""Every exception a picker meets on the real App: refusals are red and ring; modals ask what is needed."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from app.station.ui.modals.pause import PauseModal
from app.station.ui.modals.quantity import QuantityModal
from app.station.ui.modals.short_pick import ShortPickModal
from app.station.ui.modals.skip_confirm import SkipConfirm
from app.station.ui.widgets.big_number import BigNumber
from tests.ui.conftest import Terminal, press, scan, started, text, type_slowly, until, verdict
from tests.unit.station.conftest import BLUE, RED, TEA, gtin


def big(t: Terminal, name: str) -> str:
    return t.app.screen_stack[1].query_one(f"#pick-{name}", BigNumber).value


async def at_first_location(pilot: Pilot[Any], t: Terminal) -> None:
    """Signed in, work claimed, tote scanned, standing at A-01-01-1 (Tea, 1 unit) with it confirmed."""
    await started(pilot, t)
    await scan(pilot, t, "OP-1001")
    await press(pilot, t, "w")
    await scan(pilot, t, "T-0001")
    await scan(pilot, t, "A-01-01-1")


async def test_wrong_location_is_refused_in_red_with_the_bell_naming_the_right_one(
    picker: Terminal,
) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await started(pilot, picker)
        await scan(pilot, picker, "OP-1001")
        await press(pilot, picker, "w")
        await scan(pilot, picker, "T-0001")
        await scan(pilot, picker, "B-01-01-1")
        colour, message = verdict(picker)
        assert colour == "-refused"
        assert "Wrong location: scanned B-01-01-1. Go to A-01-01-1" in message
        assert picker.bells == 1
        assert big(picker, "location") == "A-01-01-1"


async def test_wrong_item_is_refused_and_the_line_stays_open(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await scan(pilot, picker, gtin(BLUE))
        colour, message = verdict(picker)
        assert colour == "-refused" and "Wrong item: scanned Blue Mug 350ml (MUG-BLU)" in message
        assert "press S to report short" in message
        assert (big(picker, "taken"), picker.bells) == ("0", 1)


async def test_over_pick_by_a_case_barcode_is_refused(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await scan(pilot, picker, gtin(TEA, 1))  # a case of 6; the line wants 1
        colour, message = verdict(picker)
        assert colour == "-refused" and "Too many" in message
        assert big(picker, "taken") == "0"


async def test_typed_quantity_counts_with_the_next_scan(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await scan(pilot, picker, gtin(TEA))  # Tea done; now at A-03-02-1 for 2 Red Mugs
        await scan(pilot, picker, "A-03-02-1")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(picker.app.focused, Input))
        assert isinstance(picker.app.screen, QuantityModal)
        await type_slowly(pilot, "2")
        await press(pilot, picker, "enter")
        assert "Quantity 2 entered" in verdict(picker)[1]
        await scan(pilot, picker, gtin(RED))
        assert "Line done: Red Mug 350ml (MUG-RED) 2 of 2" in verdict(picker)[1]


async def test_short_with_a_reason_closes_the_line_and_moves_on(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await press(pilot, picker, "s")
        await until(pilot, lambda: isinstance(picker.app.screen, ShortPickModal))
        await press(pilot, picker, "1")
        assert "Short recorded (not found)" in verdict(picker)[1]
        assert "A count task goes to A-01-01-1" in verdict(picker)[1]
        assert not isinstance(picker.app.screen, ShortPickModal)
        assert big(picker, "location") == "A-03-02-1"
        assert [e for _, e in picker.rig.uow.store.outbox if e.type == "LineShorted"]  # type: ignore[union-attr]


async def test_short_by_scanning_the_labels_opens_and_closes_the_reason_modal(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await scan(pilot, picker, "CMD-SHORT")
        await until(pilot, lambda: isinstance(picker.app.screen, ShortPickModal))
        await scan(pilot, picker, "CMD-DAMAGED")
        await until(pilot, lambda: not isinstance(picker.app.screen, ShortPickModal))
        assert "Short recorded (damaged)" in verdict(picker)[1]


async def test_cancelling_a_short_keeps_the_line(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await press(pilot, picker, "s")
        await until(pilot, lambda: isinstance(picker.app.screen, ShortPickModal))
        await press(pilot, picker, "escape")
        assert "Cancelled" in verdict(picker)[1]
        assert big(picker, "location") == "A-01-01-1"


async def test_skip_asks_first_then_moves_the_line_to_the_end(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await pilot.press("k")
        await until(pilot, lambda: isinstance(picker.app.screen, SkipConfirm))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(picker.app.screen, SkipConfirm))
        assert big(picker, "location") == "A-01-01-1"
        await pilot.press("k")
        await until(pilot, lambda: isinstance(picker.app.screen, SkipConfirm))
        await press(pilot, picker, "y")
        assert "Skipped Tea 20 bags (TEA-20) at A-01-01-1; it comes back at the end" in verdict(picker)[1]
        assert big(picker, "location") == "A-03-02-1"


async def test_undo_takes_back_the_last_unit(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await scan(pilot, picker, gtin(TEA))
        await scan(pilot, picker, "A-03-02-1")
        await scan(pilot, picker, gtin(RED))
        assert big(picker, "taken") == "1"
        await press(pilot, picker, "u")
        assert "Undone: 1 × Red Mug 350ml (MUG-RED); 0 of 2 taken" in verdict(picker)[1]
        assert big(picker, "taken") == "0"


async def test_pause_shows_the_pause_dialog_and_resume_returns_to_the_same_line(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await press(pilot, picker, "p")
        await until(pilot, lambda: isinstance(picker.app.screen, PauseModal))
        await scan(pilot, picker, gtin(TEA))  # nothing is recorded while paused
        assert verdict(picker)[0] == "-refused" and "Paused" in verdict(picker)[1]
        await press(pilot, picker, "r")
        await until(pilot, lambda: not isinstance(picker.app.screen, PauseModal))
        assert "Resumed" in verdict(picker)[1]
        assert (big(picker, "location"), big(picker, "taken")) == ("A-01-01-1", "0")


async def test_help_lists_the_keys_with_their_command_labels_and_what_to_scan_next(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await at_first_location(pilot, picker)
        await pilot.press("f1")
        await pilot.pause()
        shown = "\n".join(text(w) for w in picker.app.screen.query("Static"))
        assert "CMD-SHORT" in shown and "CMD-SKIP" in shown and "CMD-UNDO" in shown
        assert "NEXT: Take 1 × Tea 20 bags (TEA-20) from A-01-01-1" in shown
        await pilot.press("escape")
