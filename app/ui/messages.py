"""Messages the App's background workers post to the screens (safe to post from threads)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from devices.scan import RejectedFrame, Scan


@dataclass
class ScanReceived(Message):
    """A scanner (serial, camera, script or keyboard wedge) delivered a scan."""

    scan: Scan


@dataclass
class FrameRejected(Message):
    """The scanner received bytes that are not a scan (noise, over-long frame)."""

    frame: RejectedFrame


@dataclass
class ScannerStateChanged(Message):
    """The scanner connected, disconnected or is reconnecting."""

    state: str
    source: str
    detail: str = ""
