"""Snapshots of each role's screen at 80x24 (clock frozen, cursor blink off, deterministic data).

Update after an intended change with: pytest tests/ui/snapshots --snapshot-update
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from app.station.ui.widgets.status_bar import StatusBar
from app.station.ui.widgets.supervisor_bar import SupervisorBar
from devices.scan import Scan
from tests.support.ui_fakes import FakeSupervisorSource
from tests.ui.conftest import Terminal, build, packer_rig, picker_rig, until
from tests.unit.station.conftest import BLUE, RED, TEA, gtin


async def scans(pilot: Pilot[Any], t: Terminal, *codes: str) -> None:
    """Scan each code and wait for its answer; then freeze the screen (no blinking cursor, no timers).

    snap_compare runs the App itself (no message hook): the App's message signal shows what it handled.
    """
    t.app.message_signal.subscribe(t.app, t.saw, immediate=True)
    await until(pilot, lambda: t.app.last_answer is not None)
    for code in codes:
        before = t.answered
        t.scanner.push(Scan(code, source="keyboard"))
        await until(pilot, lambda before=before: t.answered > before)  # type: ignore[misc]
    await steady(pilot, t)


async def steady(
    pilot: Pilot[Any], t: Terminal, bar: type[Static] = StatusBar, shows: str = "online"
) -> None:
    """Wait until the screen's top line shows `shows`, then stop the blinking cursors."""
    await until(pilot, lambda: shows in str(t.app.screen_stack[1].query(bar).first().render()))
    for widget in t.app.screen.query("Input"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


def picker() -> Terminal:
    t = build("picker", picker_rig())
    t.rig.scan("OP-1001")  # type: ignore[union-attr]
    from app.station.services.commands import ClaimWork

    t.rig.station.handle(ClaimWork())  # type: ignore[union-attr]
    return t


def test_picker_at_a_location(snap_compare: Any) -> None:
    t = picker()

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001", "A-01-01-1")

    assert snap_compare(t.app, run_before=before)


def test_picker_refused_wrong_location(snap_compare: Any) -> None:
    t = picker()

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001", "A-01-01-1", gtin(TEA), "B-01-01-1")

    assert snap_compare(t.app, run_before=before)


def test_picker_short_reason_modal(snap_compare: Any) -> None:
    t = picker()

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001", "A-01-01-1", "CMD-SHORT")
        await pilot.pause(0.1)

    assert snap_compare(t.app, run_before=before)


def test_packer_ready_to_seal(snap_compare: Any) -> None:
    t = build("packer", packer_rig())
    t.rig.scan("OP-1001")  # type: ignore[union-attr]

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001", gtin(RED), gtin(RED), gtin(TEA))

    assert snap_compare(t.app, run_before=before)


def test_packer_wrong_item(snap_compare: Any) -> None:
    t = build("packer", packer_rig())
    t.rig.scan("OP-1001")  # type: ignore[union-attr]

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001", gtin(RED), gtin(BLUE))

    assert snap_compare(t.app, run_before=before)


def test_supervisor_floor(snap_compare: Any) -> None:
    t = build("supervisor", None, supervisor=FakeSupervisorSource())

    async def before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: t.supervisor is not None and t.supervisor.reads > 0)
        await until(pilot, lambda: t.app.screen.query_one("#stations").row_count == 2)  # type: ignore[attr-defined]
        await steady(pilot, t, SupervisorBar, "answering")

    assert snap_compare(t.app, run_before=before)


def test_badge_screen(snap_compare: Any) -> None:
    t = build("", picker_rig())

    async def before(pilot: Pilot[Any]) -> None:
        t.scanner.push(Scan("OP-1001", source="keyboard"))
        await until(pilot, lambda: "PICKER" in str(t.app.screen.query_one("#roles").render()))
        await steady(pilot, t)

    assert snap_compare(t.app, run_before=before)


def test_help_over_the_picker(snap_compare: Any) -> None:
    t = picker()

    async def before(pilot: Pilot[Any]) -> None:
        await scans(pilot, t, "T-0001")
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(t.app, run_before=before)
