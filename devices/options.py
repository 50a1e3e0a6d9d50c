"""The settings the drivers take, as plain frozen dataclasses: devices read no configuration file.

The composition root (`app.bootstrap`) fills them from config.toml's [scanner] and [camera]; a scanner spec's
``?key=value`` options override them per device (`CameraOptions.override`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from devices.decoded import DEFAULT_SYMBOLOGIES


@dataclass(frozen=True, slots=True)
class SerialOptions:
    """How a serial scanner frames its input and how long it waits between reconnects."""

    max_frame_bytes: int = 512
    """Frames longer than this are rejected as noise."""
    frame_idle_ms: float = 500.0
    """A partial frame that gets no byte for this long is rejected, never glued onto the next scan."""
    reconnect_max_seconds: float = 5.0
    """Longest back-off between reopen attempts after the device is lost (cameras too)."""


@dataclass(frozen=True, slots=True)
class CameraOptions:
    """How a camera scanner decodes frames (config.toml [camera] documents each field)."""

    decoder: str = "auto"
    symbologies: tuple[str, ...] = DEFAULT_SYMBOLOGIES
    confirm_frames: int = 2
    holdoff_seconds: float = 1.5
    downscale: float = 1.0
    roi: tuple[float, ...] = ()
    deskew_degrees: float = 10.0
    escalate_interval_ms: float = 250.0
    """A frame that looks like it holds a code but gave no read gets the thorough pass at most this often."""

    def __post_init__(self) -> None:
        _check(self.confirm_frames >= 1, "confirm_frames", "must be at least 1", self.confirm_frames)
        _check(self.holdoff_seconds >= 0, "holdoff_seconds", "must be at least 0", self.holdoff_seconds)
        _check(0 < self.downscale <= 1, "downscale", "must be > 0 and <= 1", self.downscale)
        _check(0 <= self.deskew_degrees <= 45, "deskew_degrees", "must be 0 to 45", self.deskew_degrees)
        _check(
            self.escalate_interval_ms >= 0,
            "escalate_interval_ms",
            "must be at least 0",
            self.escalate_interval_ms,
        )

    @classmethod
    def names(cls) -> frozenset[str]:
        """The option names, as a camera spec's ``?key=value`` options spell them."""
        return frozenset(f.name for f in dataclasses.fields(cls))

    def override(self, options: Mapping[str, str]) -> CameraOptions:
        """These options with some replaced by a spec's text values; ValueError names a wrong value."""
        changes: dict[str, Any] = {}
        for key, text in options.items():
            if key in ("symbologies", "roi"):
                parts = tuple(p.strip() for p in text.split(",") if p.strip())
                changes[key] = parts if key == "symbologies" else tuple(_number(key, p, float) for p in parts)
            elif key == "confirm_frames":
                changes[key] = _number(key, text, int)
            elif key == "decoder":
                changes[key] = text
            else:
                changes[key] = _number(key, text, float)
        return dataclasses.replace(self, **changes)


def _number(key: str, text: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(text)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ValueError(f"{key} must be {noun}, got {text!r}") from None


def _check(ok: bool, key: str, rule: str, value: object) -> None:
    if not ok:
        raise ValueError(f"{key} {rule}, got {value!r}")
