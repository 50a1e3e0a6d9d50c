"""UI test rigs: the real AisleApp on a real Station (fake or SQLite store) with a keyboard scanner."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import pytest
from textual.css.query import NoMatches
from textual.message import Message
from textual.pilot import Pilot

from app.config import Settings
from app.station.services.ports import ClaimedWork
from app.station.ui.app import AisleApp
from app.station.ui.factory import create_station_app
from app.station.ui.messages import StationAnswered
from devices.keyboard import KeyboardScanner
from devices.scan import Scan
from tests.support.ui_fakes import FakeSupervisorSource, FakeSync
from tests.unit.station.conftest import Rig, make_rig, pack_order, single_order_work

FROZEN_WALL = 1_780_000_000.0  # the clock the status bar and the scan log show


@dataclass
class Terminal:
    """An App under test and what drives it: the station rig, the scanner, the sync health; and what it did:
    the station's answers the App handled (seen by `run`'s message hook) and how often the bell rang."""

    app: AisleApp
    rig: Rig | None
    scanner: KeyboardScanner
    sync: FakeSync
    supervisor: FakeSupervisorSource | None = None
    answers: list[StationAnswered] = field(default_factory=list)
    bells: int = 0

    def __post_init__(self) -> None:
        self.app.bell = self._bell  # type: ignore[method-assign]  # count the bell instead of ringing it

    def _bell(self) -> None:
        self.bells += 1

    def run(self, **options: Any) -> AbstractAsyncContextManager[Pilot[None]]:
        """`app.run_test(**options)` with a message hook collecting every StationAnswered the App handles."""
        return self.app.run_test(message_hook=self.saw, **options)

    def saw(self, message: Message) -> None:
        """The hook: a StationAnswered once (the App forwards the same message to each of its screens)."""
        if isinstance(message, StationAnswered) and not any(m is message for m in self.answers):
            self.answers.append(message)

    @property
    def answered(self) -> int:
        """How many answers the App handled so far."""
        return len(self.answers)


def build(
    role: str,
    rig: Rig | None = None,
    *,
    supervisor: FakeSupervisorSource | None = None,
    key_clock: Callable[[], float] = time.monotonic,
    bell: bool = True,
) -> Terminal:
    """A terminal for `role` ("" = badge screen) on `rig` (a fresh fake-store rig by default)."""
    if rig is None and role != "supervisor":
        rig = make_rig(role or "picker")
    settings = Settings()
    settings.station.bell = bell
    scanner, sync = KeyboardScanner(), FakeSync()
    app = create_station_app(
        settings,
        rig.station if rig else None,
        scanner,
        supervisor,
        role=role,
        sync=sync,
        wall_clock=lambda: FROZEN_WALL,
        key_clock=key_clock,
    )
    return Terminal(app, rig, scanner, sync, supervisor)


def picker_rig(rig: Rig | None = None) -> Rig:
    """A picker station with order 1001 waiting on the server (nobody signed in yet)."""
    rig = rig or make_rig("picker")
    rig.source.pick_queue.append(ClaimedWork(single_order_work()))
    return rig


def packer_rig() -> Rig:
    """A packer station; order 1001 waits on the server in tote T-0001."""
    rig = make_rig("packer")
    order = pack_order()
    rig.source.pack_orders.update({"T-0001": order, "1001": order})
    return rig


async def until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 3.0) -> None:
    """Let the App work until `check()` holds (answers come from worker threads); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not _holds(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {check}")
        await pilot.pause(0.01)


def _holds(check: Callable[[], bool]) -> bool:
    """`check()`, where a widget the screen has not mounted yet (NoMatches) means 'not yet', not an error."""
    try:
        return check()
    except NoMatches:
        return False


async def answered(pilot: Pilot[Any], t: Terminal, before: int) -> None:
    """Wait until the station answered one more command than `before`, and the screens rendered it."""
    await until(pilot, lambda: t.answered > before)
    await pilot.pause()  # the screens handle the answer the App forwarded to them


async def scan(pilot: Pilot[Any], t: Terminal, text: str) -> None:
    """Scan `text` with the terminal's scanner and wait for the answer on screen."""
    before = t.answered
    t.scanner.push(Scan(text, source="keyboard"))
    await answered(pilot, t, before)


async def press(pilot: Pilot[Any], t: Terminal, *keys: str) -> None:
    """Press keys that send one command, and wait for its answer on screen."""
    before = t.answered
    await pilot.press(*keys)
    await answered(pilot, t, before)


async def type_slowly(pilot: Pilot[Any], keys: str) -> None:
    """A person typing: slower than a scanner, so the wedge gate hands each key to the focused field."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause(0.07)


async def started(pilot: Pilot[Any], t: Terminal) -> None:
    """Wait for the first answer (the resumed session) after mount."""
    if t.rig is not None:
        await until(pilot, lambda: t.app.last_answer is not None)
    await pilot.pause()


@pytest.fixture
def picker() -> Terminal:
    return build("picker", picker_rig())


@pytest.fixture
def packer() -> Terminal:
    return build("packer", packer_rig())


def text(widget: Any) -> str:
    """The plain text a Static-like widget shows."""
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


def verdict(t: Terminal) -> tuple[str, str]:
    """(colour class, message) of the verdict panel on the role screen."""
    from app.station.ui.widgets.verdict_panel import VerdictPanel

    panel = t.app.screen_stack[1].query_one(VerdictPanel) if len(t.app.screen_stack) > 1 else None
    assert panel is not None
    colour = next((c for c in ("-ok", "-refused", "-warning", "-info") if panel.has_class(c)), "")
    return colour, text(panel)
