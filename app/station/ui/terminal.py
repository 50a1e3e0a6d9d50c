"""What the floor terminal is wired with: its settings and the adapters the composition root hands it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.station.services.autopilot import Autopilot
from app.station.services.floor import SupervisorSource
from app.station.services.station import Station
from app.station.services.terminal_ports import Scale, SyncHealthSource
from devices.scan import Scanner


@dataclass(frozen=True, slots=True)
class TerminalSettings:
    """The station settings the UI itself uses (from [station] and [scanner] in config.toml)."""

    station_id: str = "ST01"
    role: str = ""  # picker | packer | supervisor; empty shows the badge screen
    bell: bool = True
    wedge_max_interkey_ms: float = 35.0
    wedge_min_length: int = 3
    gs_replacement: str = "~"
    supervisor_refresh_s: float = 3.0
    ready_exit: bool = False  # print AISLE-READY on stderr and exit once the role screen shows (bench)
    database: str = ""  # the station database file in use (the help screen names it)


@dataclass(slots=True)
class Terminal:
    """Everything the App runs on; `station` is None for a supervisor-only terminal."""

    settings: TerminalSettings
    station: Station | None = None
    scanner: Scanner | None = None
    supervisor: SupervisorSource | None = None
    sync: SyncHealthSource | None = None
    scale: Scale | None = None
    wall_clock: Callable[[], float] = time.time  # shown times (status bar clock, scan log)
    key_clock: Callable[[], float] = time.monotonic  # keyboard-wedge timing
    autopilot: Autopilot | None = None  # demo only: F9 scans what the station expects next
    on_ready: Callable[[], None] | None = None
    """Called once on the UI thread when the first screen shows the station's state (the CLI starts syncing
    then, so the sync thread's start-up does not compete with the terminal's)."""
