"""Messages the App's background workers post to the App and its screens (safe to post from threads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from devices.scan import RejectedFrame, Scan

if TYPE_CHECKING:
    from app.domain.work import Verdict
    from app.station.services.floor import FloorView
    from app.station.services.terminal_ports import SyncHealth
    from app.station.services.views import LineView, PackView, SessionView


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


@dataclass(frozen=True)
class StationSnapshot:
    """What the role screens show, read after a command committed (so one render shows one state)."""

    session: SessionView
    line: LineView | None = None
    pack: PackView | None = None


@dataclass
class StationAnswered(Message):
    """The station handled a command: its verdict (None for a plain refresh) and the state that followed."""

    command: Any
    verdict: Verdict | None
    snapshot: StationSnapshot
    scanned: str = ""
    started: float = 0.0  # monotonic time the scan or key arrived, for the latency bench


@dataclass
class SyncHealthChanged(Message):
    """The sync client's health: online or offline since when, unsynced scans and the oldest one's age."""

    health: SyncHealth


@dataclass
class FloorRefreshed(Message):
    """The supervisor's floor view as read from the central server (or why it could not be read)."""

    floor: FloorView | None
    error: str = ""


@dataclass
class SupervisorActionDone(Message):
    """A supervisor action (ack, revoke, hold…) finished: ok, and what to tell the supervisor."""

    ok: bool
    message: str


@dataclass
class StationFailed(Message):
    """A command could not be handled (the database failed, a bug): nothing was recorded."""

    command: Any
    error: str


@dataclass
class WeightRead(Message):
    """The bench scale settled on a weight."""

    grams: int
