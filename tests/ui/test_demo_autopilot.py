"""The demo's F9 "scan for me": a new user picks a whole order and changes role without a scanner."""

from __future__ import annotations

from app.config import Settings
from app.station.services.autopilot import Autopilot
from app.station.ui.factory import create_station_app
from app.station.ui.screens.badge import BadgeScreen
from app.station.ui.screens.picker import PickerScreen
from devices.keyboard import KeyboardScanner
from tests.support.ui_fakes import FakeSync
from tests.ui.conftest import FROZEN_WALL, answered, picker_rig, until


def _demo_app(role: str = ""):  # type: ignore[no-untyped-def]
    rig = picker_rig()
    app = create_station_app(
        Settings(),
        rig.station,
        KeyboardScanner(),
        None,
        role=role,
        sync=FakeSync(),
        wall_clock=lambda: FROZEN_WALL,
        autopilot=Autopilot(rig.station, "OP-1001"),
    )
    return app, rig


async def test_f9_signs_in_picks_every_line_and_closes_the_tote() -> None:
    app, rig = _demo_app("picker")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.answers >= 1)
        for _ in range(12):
            if "ToteClosed" in rig.events():
                break
            before = app.answers
            await pilot.press("f9")
            await answered(pilot, app, before)
        assert "ToteClosed" in rig.events()
        assert isinstance(app.screen, PickerScreen)
        assert app.bells == 0  # every suggested scan was right


async def test_signing_out_of_a_terminal_without_a_fixed_role_returns_to_the_badge_screen() -> None:
    app, _ = _demo_app("")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BadgeScreen)
        await pilot.press("f9")  # scans the demo badge: the roles of OP-1001 are offered
        await until(pilot, lambda: "1" in str(app.screen.query_one("#roles").render()))
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        before = app.answers
        await pilot.press("o")
        await answered(pilot, app, before)
        await until(pilot, lambda: isinstance(app.screen, BadgeScreen))


async def test_f9_is_not_offered_outside_the_demo(picker) -> None:  # type: ignore[no-untyped-def]
    async with picker.app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert picker.app.check_action("autopilot", ()) is False
