"""Messages the App's background workers post to the App (safe to post from threads).

The App does its part (status bar, bell) and forwards each to its screens with `post_message`; screens handle
them with `@on(...)`. None bubbles: a screen's parent is the App, which would get its own message back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from app.station.services.commands import Command, RecordScan
from devices.scan import RejectedFrame, Scan

if TYPE_CHECKING:
    from app.domain.work import Verdict
    from app.station.services.floor import FloorView
    from app.station.services.terminal_ports import SyncHealth
    from app.station.services.views import LineView, PackView, SessionView


@dataclass
class ScanReceived(Message, bubble=False):
    """A scanner (serial, camera, script or keyboard wedge) delivered a scan."""

    scan: Scan

    def command(self) -> RecordScan:
        """The scan as the station records it (what a screen submits for a scan it does not keep)."""
        scan = self.scan
        return RecordScan(scan.text, gs1=scan.gs1, aim=scan.aim, symbology=scan.symbology, source=scan.source)


@dataclass
class FrameRejected(Message, bubble=False):
    """The scanner received bytes that are not a scan (noise, over-long frame)."""

    frame: RejectedFrame


@dataclass
class ScannerStateChanged(Message, bubble=False):
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
class StationAnswered(Message, bubble=False):
    """The station handled a command: its verdict (None for a plain refresh) and the state that followed."""

    command: Command | None
    verdict: Verdict | None
    snapshot: StationSnapshot
    scanned: str = ""
    started: float = 0.0  # monotonic time the scan or key arrived, for the latency bench


@dataclass
class SyncHealthChanged(Message, bubble=False):
    """The sync client's health: online or offline since when, unsynced scans and the oldest one's age."""

    health: SyncHealth


@dataclass
class FloorRefreshed(Message, bubble=False):
    """The supervisor's floor view as read from the central server (or why it could not be read)."""

    floor: FloorView | None
    error: str = ""


@dataclass
class SupervisorActionDone(Message, bubble=False):
    """A supervisor action (ack, revoke, hold…) finished: ok, and what to tell the supervisor."""

    ok: bool
    message: str


@dataclass
class StationFailed(Message, bubble=False):
    """A command could not be handled (the database failed, a bug): nothing was recorded."""

    command: Command | None
    error: str


@dataclass
class WeightRead(Message, bubble=False):
    """The bench scale settled on a weight."""

    grams: int
