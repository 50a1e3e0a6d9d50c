"""Keyboard-wedge timing: tell a scanner's burst of keystrokes from a person typing (no Textual here).

A USB HID scanner types its data a millisecond or two per key and ends with Enter. `WedgeDetector` is fed
every key with its monotonic time; a burst of at least `min_length` characters, each less than
`max_interkey_ms` after the previous, ending in Enter, becomes a `Scan` (source ``keyboard``). Anything slower
is handed back as `TypedText` for the input field. The UI calls `flush(now)` on a short timer so typed
characters appear without waiting for the next key.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.symbology import is_gs1_aim, split_aim, symbology_for_aim
from devices.scan import GS, Scan

ENTER_KEYS = frozenset({"\r", "\n", "enter"})


@dataclass(frozen=True, slots=True)
class TypedText:
    """Keys a person typed; `submitted` is True when they ended with Enter."""

    text: str
    submitted: bool = False


WedgeResult = Scan | TypedText


class WedgeDetector:
    """Feed keys with `key(char, t)`; collect `Scan`s and `TypedText` from its results and from `flush(t)`."""

    def __init__(self, max_interkey_ms: float = 35.0, min_length: int = 3, gs_replacement: str = "~") -> None:
        if len(gs_replacement) > 1:
            raise ValueError(f"gs_replacement must be one character or empty, got {gs_replacement!r}")
        self.max_interkey = max_interkey_ms / 1000
        self.min_length = min_length
        self.gs_replacement = gs_replacement
        self._chars: list[str] = []
        self._last = 0.0

    def key(self, char: str, t: float) -> WedgeResult | None:
        """One key (a character, ``"\\x1d"`` for Ctrl+], or Enter) pressed at monotonic time `t`."""
        stale = self.flush(t) if char not in ENTER_KEYS else None
        if char in ENTER_KEYS:
            return self._enter(t)
        self._chars.append(char)
        self._last = t
        return stale

    def flush(self, t: float) -> TypedText | None:
        """Release buffered keys as typing once no key has come for longer than a scanner's gap."""
        if self._chars and t - self._last > self.max_interkey:
            return self._release(submitted=False)
        return None

    def _enter(self, t: float) -> WedgeResult:
        burst = (
            bool(self._chars) and t - self._last <= self.max_interkey and len(self._chars) >= self.min_length
        )
        if not burst:
            return self._release(submitted=True)
        typed = "".join(self._chars)
        self._chars.clear()
        text = typed.replace(self.gs_replacement, GS) if self.gs_replacement else typed
        aim, data = split_aim(text)
        symbology = symbology_for_aim(aim, data).name if aim else None
        return Scan(data, typed.encode("utf-8", "replace"), symbology, aim, is_gs1_aim(aim), "keyboard", t)

    def _release(self, *, submitted: bool) -> TypedText:
        text = "".join(self._chars)
        self._chars.clear()
        return TypedText(text, submitted)
