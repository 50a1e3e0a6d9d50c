"""A station started without a role asks for a badge and offers the roles that operator may take."""

from __future__ import annotations

from textual.widgets import Static

from app.station.ui.screens.badge import BadgeScreen
from app.station.ui.screens.picker import PickerScreen
from app.station.ui.screens.supervisor import SupervisorScreen
from devices.scan import Scan
from tests.support.ui_fakes import FakeSupervisorSource
from tests.ui.conftest import build, picker_rig, started, text, until


async def test_a_badge_scan_offers_its_roles_and_the_choice_signs_in() -> None:
    t = build("", picker_rig())
    async with t.run(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(t.app.screen, BadgeScreen)
        t.scanner.push(Scan("OP-1001", source="keyboard"))
        await until(pilot, lambda: "PICKER" in text(t.app.screen.query_one("#roles", Static)))
        assert text(t.app.screen.query_one("#roles", Static)) == "1  PICKER\n2  PACKER"
        await pilot.press("1")
        await until(pilot, lambda: isinstance(t.app.screen, PickerScreen))
        await until(pilot, lambda: t.app.status.operator == "Ann")
        assert "No work on this station yet" in text(t.app.screen.query_one("#prompt"))


async def test_an_unknown_badge_is_refused_and_nothing_is_offered() -> None:
    t = build("", picker_rig())
    async with t.run(size=(80, 24)) as pilot:
        await pilot.pause()
        t.scanner.push(Scan("OP-4040", source="keyboard"))
        await until(pilot, lambda: "not registered" in text(t.app.screen.query_one("#verdict")))
        assert text(t.app.screen.query_one("#roles", Static)) == "" and t.bells == 1
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(t.app.screen, BadgeScreen)


async def test_a_supervisor_badge_may_open_the_supervisor_view() -> None:
    t = build("", picker_rig(), supervisor=FakeSupervisorSource())
    async with t.run(size=(80, 24)) as pilot:
        await pilot.pause()
        t.scanner.push(Scan("OP-9001", source="keyboard"))
        await until(pilot, lambda: "SUPERVISOR" in text(t.app.screen.query_one("#roles", Static)))
        await pilot.press("3")
        await until(pilot, lambda: isinstance(t.app.screen, SupervisorScreen))
        await until(pilot, lambda: t.supervisor is not None and t.supervisor.reads > 0)
        assert started  # the floor worker reads the server once the supervisor view shows
