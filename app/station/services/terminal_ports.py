"""Ports the floor terminal needs besides the Station: the sync client's health and a bench scale.

The sync client (sync.client) and a scale driver implement them; the UI reads them from worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SyncHealth:
    """What the status bar says about sync: online, or offline since when, and what waits to be sent."""

    online: bool
    offline_since: float | None = None  # wall time the station last lost the server
    unsynced: int = 0  # outbox rows the server has not acknowledged
    oldest_unsynced_s: float | None = None  # age of the oldest of them
    problem: str = ""  # why scans do not reach the server although it answers ("sync stopped: upgrade")
    notice: str = ""  # news that needs no action ("database was restored from a copy: re-sent 3 scans …")
    set_aside: str = ""  # a database of another server was set aside to this file: the screens start clean


class SyncHealthSource(Protocol):
    """Anything that can say how sync is going right now; must be cheap and never block for long."""

    def health(self) -> SyncHealth: ...


class Scale(Protocol):
    """A bench scale: the current stable weight in grams, or None when it has none (empty, moving)."""

    def read_grams(self, timeout: float) -> int | None: ...

    def close(self) -> None:
        """Release the device (the composition root calls it when the terminal exits)."""


class NoSync:
    """A station without a server: always offline, nothing ever synced."""

    def __init__(self, since: float | None = None) -> None:
        self.since = since

    def health(self) -> SyncHealth:
        return SyncHealth(False, self.since)
