"""Keyboard-wedge scans inside the TUI: a fast burst ending in Enter is a scan and fires no key binding;
a person typing the same keys gets the ordinary keys."""

from __future__ import annotations

from dataclasses import dataclass

from tests.ui.conftest import Terminal, build, picker_rig, press, scan, started, until, verdict


@dataclass
class StepClock:
    """A key clock that moves `step` seconds each time it is read: 1 ms is a scanner, 200 ms a person."""

    step: float
    now: float = 100.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def terminal(step: float) -> Terminal:
    return build("picker", picker_rig(), key_clock=StepClock(step))


async def test_a_fast_burst_ending_in_enter_is_a_scan_that_signs_in() -> None:
    t = terminal(0.001)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await press(pilot, t, "O", "P", "-", "1", "0", "0", "1", "enter")
        assert "Signed in: Ann (OP-1001)" in verdict(t)[1]
        scans = t.rig.uow.store.scans  # type: ignore[union-attr]
        assert (scans[-1].text, scans[-1].source) == ("OP-1001", "keyboard")


async def test_letters_inside_a_burst_never_fire_their_key_bindings() -> None:
    t = terminal(0.001)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await scan(pilot, t, "OP-1001")
        # w = claim work, p = pause, s = short, u = undo: none of them may fire
        await press(pilot, t, "w", "p", "s", "u", "1", "enter")
        assert t.rig.source.claims == []  # type: ignore[union-attr]
        assert verdict(t)[0] == "-refused"
        assert t.rig.uow.store.scans[-1].text == "wpsu1"  # type: ignore[union-attr]


async def test_slow_typing_reaches_the_key_bindings() -> None:
    t = terminal(0.2)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await scan(pilot, t, "OP-1001")
        await press(pilot, t, "w")  # held for a scanner's gap, then released as the W key
        assert t.rig.source.claims == ["pick:OP-1001"]  # type: ignore[union-attr]
        assert "Work W-1" in verdict(t)[1]


async def test_a_short_burst_is_typing_not_a_scan() -> None:
    t = terminal(0.001)
    async with t.run(size=(80, 24)) as pilot:
        await started(pilot, t)
        await scan(pilot, t, "OP-1001")
        await pilot.press("w", "enter")  # below wedge_min_length: a person pressing W then Enter
        await until(pilot, lambda: t.rig.source.claims == ["pick:OP-1001"])  # type: ignore[union-attr]
