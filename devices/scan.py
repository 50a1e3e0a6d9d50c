"""The one scan record every scanner delivers, and the small interface every scanner implements."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

GS = "\x1d"  # GS1 field separator, kept as-is in Scan.text


@dataclass(frozen=True, slots=True)
class Scan:
    """A decoded barcode read, the same whatever the device.

    `text` keeps the GS separator (0x1D) of GS1 data; `raw` is what the device delivered for this frame
    (without prefix/suffix); `aim` is the AIM symbology identifier (``]E0``, ``]C1``, ``]d2``…) when known;
    `gs1` is True when the symbology says the data is a GS1 element string.
    """

    text: str
    raw: bytes = b""
    symbology: str | None = None
    aim: str | None = None
    gs1: bool = False
    source: str = ""
    monotonic: float = field(default_factory=time.monotonic)
    wall: float = field(default_factory=time.time)


@dataclass(frozen=True, slots=True)
class RejectedFrame:
    """Input a scanner received but could not turn into a scan (noise, over-long, undecodable)."""

    raw: bytes
    reason: str
    source: str = ""
    monotonic: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, slots=True)
class ScannerStatus:
    """A change of the device's state: connected, disconnected (with the reason), reconnecting."""

    state: str  # "connected" | "disconnected" | "reconnecting"
    source: str
    detail: str = ""
    monotonic: float = field(default_factory=time.monotonic)


ScannerEvent = Scan | RejectedFrame | ScannerStatus


@runtime_checkable
class Scanner(Protocol):
    """A source of scans. `read` blocks at most `timeout` seconds and returns the next event or None.

    Scanners never raise on bad input or a lost device: they return a RejectedFrame or a ScannerStatus and
    keep trying to reconnect.
    """

    source: str

    def read(self, timeout: float) -> ScannerEvent | None: ...

    def close(self) -> None: ...
