"""The app factory: app.bootstrap.terminal and the UI tests build the floor terminal the same way."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from app.station.services.role_choice import take_role
from app.station.ui.app import AisleApp
from app.station.ui.terminal import Terminal, TerminalSettings

if TYPE_CHECKING:
    from app.config import Settings
    from app.station.services.autopilot import Autopilot
    from app.station.services.floor import SupervisorSource
    from app.station.services.station import Station
    from app.station.services.terminal_ports import Scale, SyncHealthSource
    from devices.scan import Scanner

READY_ENV = "AISLE_TUI_READY_EXIT"
"""Set to 1 and the terminal prints AISLE-READY on stderr and exits once its role screen shows (bench)."""


def terminal_settings(settings: Settings, role: str | None = None) -> TerminalSettings:
    """The UI's settings from config.toml's [station] and [scanner]; `role` overrides [station] role."""
    st, sc = settings.station, settings.scanner
    return TerminalSettings(
        station_id=st.station_id,
        role=st.role if role is None else role,
        bell=st.bell,
        wedge_max_interkey_ms=sc.wedge_max_interkey_ms,
        wedge_min_length=sc.wedge_min_length,
        gs_replacement=sc.gs_replacement,
        supervisor_refresh_s=max(st.sync_interval_seconds, 1.0),
        ready_exit=os.environ.get(READY_ENV) == "1",
    )


def create_station_app(
    settings: Settings,
    station: Station | None,
    scanner: Scanner | None,
    supervisor_source: SupervisorSource | None = None,
    *,
    role: str | None = None,
    sync: SyncHealthSource | None = None,
    scale: Scale | None = None,
    wall_clock: Callable[[], float] = time.time,
    key_clock: Callable[[], float] = time.monotonic,
    autopilot: Autopilot | None = None,
    on_ready: Callable[[], None] | None = None,
    database: str = "",
) -> AisleApp:
    """Build the floor terminal: `role` (default [station] role; empty → badge screen) on `station`.

    The scanner, sync-health and floor workers start when the App mounts and belong to it, not to a screen.
    `database` is the station database file in use (the help screen names it).
    """
    # A terminal is latency-bound: hand the GIL over sooner (default 5 ms) so the scanner and station threads
    # are not kept waiting behind the UI thread (bench_tui: p99 scan-to-screen roughly a third).
    sys.setswitchinterval(0.001)
    ui = replace(terminal_settings(settings, role), database=database)
    if station is not None and ui.role in ("picker", "packer"):
        take_role(station.deps, ui.role)
    terminal = Terminal(
        ui, station, scanner, supervisor_source, sync, scale, wall_clock, key_clock, autopilot, on_ready
    )
    return AisleApp(terminal)
