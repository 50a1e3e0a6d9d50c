"""The demo's F9 "scan for me": a new user picks a whole order and changes role without a scanner."""

from __future__ import annotations

from app.config import Settings
from app.station.services.autopilot import Autopilot
from app.station.ui.factory import create_station_app
from app.station.ui.screens.badge import BadgeScreen
from app.station.ui.screens.picker import PickerScreen
from devices.keyboard import KeyboardScanner
from tests.support.ui_fakes import FakeSync
from tests.ui.conftest import FROZEN_WALL, Terminal, answered, picker_rig, until


def _demo(role: str = "") -> Terminal:
    rig = picker_rig()
    scanner, sync = KeyboardScanner(), FakeSync()
    app = create_station_app(
        Settings(),
        rig.station,
        scanner,
        None,
        role=role,
        sync=sync,
        wall_clock=lambda: FROZEN_WALL,
        autopilot=Autopilot(rig.station, "OP-1001"),
    )
    return Terminal(app, rig, scanner, sync)


async def test_f9_signs_in_picks_every_line_and_closes_the_tote() -> None:
    t = _demo("picker")
    app, rig = t.app, t.rig
    assert rig is not None
    async with t.run(size=(80, 24)) as pilot:
        await until(pilot, lambda: t.answered >= 1)
        for _ in range(12):
            if "ToteClosed" in rig.events():
                break
            before = t.answered
            await pilot.press("f9")
            await answered(pilot, t, before)
        assert "ToteClosed" in rig.events()
        assert isinstance(app.screen, PickerScreen)
        assert t.bells == 0  # every suggested scan was right


async def test_signing_out_of_a_terminal_without_a_fixed_role_returns_to_the_badge_screen() -> None:
    t = _demo("")
    app = t.app
    async with t.run(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BadgeScreen)
        await pilot.press("f9")  # scans the demo badge: the roles of OP-1001 are offered
        await until(pilot, lambda: "1" in str(app.screen.query_one("#roles").render()))
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        before = t.answered
        await pilot.press("o")
        await answered(pilot, t, before)
        await until(pilot, lambda: isinstance(app.screen, BadgeScreen))


async def test_f9_is_not_offered_outside_the_demo(picker) -> None:  # type: ignore[no-untyped-def]
    async with picker.run(size=(80, 24)) as pilot:
        await pilot.pause()
        assert picker.app.check_action("autopilot", ()) is False
