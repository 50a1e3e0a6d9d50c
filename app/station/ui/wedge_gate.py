"""Keyboard-wedge scans inside the TUI: printable keys are held until we know who typed them.

A wedge scanner types a burst (a key every 1-2 ms) ending in Enter; a person types slower. Printable keys
are fed to `WedgeDetector` and held for a moment: a burst ending in Enter becomes a Scan and its keys are
never seen by bindings or inputs (a badge "OP-1001" must not fire the binding on "O"); keys that turn out to
be typing are released, in order, as ordinary keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import events

from devices.scan import GS, Scan
from devices.wedge import TypedText, WedgeDetector


@dataclass(slots=True)
class GateResult:
    """What to do with a key: `release` these held keys first, then pass the key on unless `swallowed`."""

    release: list[events.Key] = field(default_factory=list)
    swallowed: bool = False
    scan: Scan | None = None


class WedgeGate:
    """Decides, key by key, whether input is a scanner's burst or typing (no timers here: see `expire`)."""

    def __init__(self, make_detector: Callable[[], WedgeDetector], clock: Callable[[], float]) -> None:
        self._make_detector = make_detector
        self.detector = make_detector()
        self.clock = clock
        self.held: list[events.Key] = []

    @staticmethod
    def is_scan_char(event: events.Key) -> bool:
        """Characters a scanner types: printable ones and GS (Ctrl+])."""
        char = event.character
        return char is not None and len(char) == 1 and (char.isprintable() or char == GS)

    def key(self, event: events.Key) -> GateResult:
        """Feed one key; the result says what to release, whether to pass the key, and any scan."""
        t = self.clock()
        if self.is_scan_char(event):
            assert event.character is not None
            stale = self.detector.key(event.character, t)
            released = self._take_held() if isinstance(stale, TypedText) else []
            self.held.append(event)
            return GateResult(released, swallowed=True)
        if event.key == "enter" and self.held:
            result = self.detector.key("enter", t)
            if isinstance(result, Scan):
                self.held.clear()
                return GateResult([], swallowed=True, scan=result)
            return GateResult(self._take_held())
        # any other key ends a burst: what was held was typing
        return GateResult(self._reset() if self.held else [])

    def expire(self) -> list[events.Key]:
        """Called on a short timer: the held keys, when no key came for longer than a scanner's gap."""
        if self.held and isinstance(self.detector.flush(self.clock()), TypedText):
            return self._take_held()
        return []

    def _take_held(self) -> list[events.Key]:
        held, self.held = self.held, []
        return held

    def _reset(self) -> list[events.Key]:
        self.detector = self._make_detector()
        return self._take_held()
