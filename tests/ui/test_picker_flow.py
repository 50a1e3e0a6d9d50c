"""A picker works a whole order on the real App: sign in, claim, tote, location, units, close."""

from __future__ import annotations

from app.station.ui.screens.picker import PickerScreen
from app.station.ui.widgets.big_number import BigNumber
from app.station.ui.widgets.route_progress import RouteProgress
from tests.ui.conftest import Terminal, press, scan, started, text, verdict
from tests.unit.station.conftest import RED, TEA, gtin


def big(t: Terminal, name: str) -> str:
    return t.app.screen.query_one(f"#pick-{name}", BigNumber).value


async def test_a_full_pick_shows_each_line_large_and_closes_the_tote(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await started(pilot, picker)
        assert isinstance(picker.app.screen, PickerScreen)
        assert "Scan your badge" in text(picker.app.screen.query_one("#prompt"))

        await scan(pilot, picker, "OP-1001")
        assert "Signed in: Ann" in verdict(picker)[1]
        await press(pilot, picker, "w")
        assert "Scan an empty tote for order 1001" in text(picker.app.screen.query_one("#prompt"))

        await scan(pilot, picker, "T-0001")
        # the walk starts at A-01-01-1 (Tea), not at the order's first line
        assert (big(picker, "location"), big(picker, "take"), big(picker, "taken")) == ("A-01-01-1", "1", "0")
        assert "Tea 20 bags  (TEA-20)" in text(picker.app.screen.query_one("#pick-product"))
        assert "Tote T-0001" in text(picker.app.screen.query_one("#pick-extra"))

        await scan(pilot, picker, "A-01-01-1")
        assert verdict(picker)[0] == "-ok"
        await scan(pilot, picker, gtin(TEA))
        assert "Line done" in verdict(picker)[1]
        assert big(picker, "location") == "A-03-02-1"
        assert text(picker.app.screen.query_one(RouteProgress).query_one("Label")) == "Lines 1 / 2"

        await scan(pilot, picker, "A-03-02-1")
        await scan(pilot, picker, gtin(RED))
        assert (big(picker, "take"), big(picker, "taken")) == ("2", "1")
        await scan(pilot, picker, gtin(RED))
        assert "All lines done" in text(picker.app.screen.query_one("#prompt"))
        assert text(picker.app.screen.query_one(RouteProgress).query_one("Label")) == "Lines 2 / 2"

        await press(pilot, picker, "d")
        colour, message = verdict(picker)
        assert colour == "-ok" and "Closed tote T-0001: take it to packing" in message
        assert picker.bells == 0
