"""The floor terminal (Textual) on a station: scanner, scale, sync health, supervisor feed, demo autopilot."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.bootstrap.devices import open_scale, open_scanner
from app.bootstrap.lifetime import TerminalLifetime
from app.bootstrap.station import build_station, settle_heap
from app.bootstrap.supervisor import supervisor_source
from app.cli import UserError
from app.config import Settings
from app.station.services.autopilot import Autopilot
from app.station.services.terminal_ports import NoSync, Scale, SyncHealth, SyncHealthSource
from app.station.ui.factory import create_station_app
from devices.scan import Scanner
from sync.worker import SyncWorker

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp

ROLES = ("", "picker", "packer", "supervisor")


class WorkerHealth:
    """The sync worker's status as the status bar wants it; remembers since when it is offline."""

    def __init__(self, worker: SyncWorker, now: Callable[[], float] = time.time) -> None:
        self.worker, self.now = worker, now
        self.offline_since: float | None = None

    def health(self) -> SyncHealth:
        status = self.worker.status()
        if status.online:
            self.offline_since = None
        elif self.offline_since is None:
            self.offline_since = self.now()
        return SyncHealth(
            status.online,
            self.offline_since,
            status.outbox_depth,
            status.oldest_unsynced_age_s,
            status.reason,
            status.notice,
            status.set_aside.moved if status.set_aside else "",
        )

    def kick(self) -> None:
        """Push now: a scan was just recorded."""
        self.worker.kick()


@dataclass
class TerminalRun:
    """A floor terminal ready to run, and what to stop when it exits."""

    app: AisleApp
    worker: SyncWorker | None = None
    scale: Scale | None = None
    scanner: Scanner | None = None

    def run(self, on_kill: Sequence[Callable[[], object]] = ()) -> int:
        """Run the terminal until it exits, then stop the sync worker and close the scanner and the scale.

        Returns its exit code: 128 + the signal when SIGHUP, SIGTERM or a hung-up tty ended it
        (app.bootstrap.lifetime).

        `on_kill`: what else to stop should the orderly exit not finish in time (the demo's server).
        """
        ports = [device.close for device in (self.scanner, self.scale) if device is not None]
        with TerminalLifetime(self.app, [*ports, *on_kill]) as lifetime:
            try:
                self.app.run()
            finally:
                if self.worker is not None:  # a push cut short is sent again by the next start
                    self.worker.stop(timeout=0.5 if lifetime.requested else 5.0)
                for close in ports:  # the reader threads close them too; a stuck one must not keep the port
                    close()
        return lifetime.code if lifetime.code is not None else int(self.app.return_code or 0)


def build_terminal(
    settings: Settings,
    *,
    role: str,
    station_id: str,
    db: Path | None,
    scanner_spec: str,
    scale_spec: str,
    server: str,
    token: str,
    sync: bool,
    demo_badge: str | None = None,
    demo_label: Callable[[], str | None] | None = None,
) -> TerminalRun:
    """The terminal for `role` (picker, packer, supervisor; empty → the badge screen asks) on its station.

    `station_id` replaces [station] station_id; `db` is the station database (default: [station]
    database_path); a supervisor terminal has no station.
    `demo_badge` (aisle demo) adds the F9 "scan for me" autopilot, signing in with that badge.
    """
    if role not in ROLES:
        raise UserError(f"[station] role must be picker, packer or supervisor, got {role!r}")
    st = settings.station.model_copy(update={"station_id": station_id})
    settings = settings.model_copy(update={"station": st})
    parts, path = None, Path()
    if role != "supervisor":
        path = db or Path(st.database_path.format(station_id=station_id))
        parts = build_station(
            settings, role or "picker", station_id, path, server=server, token=token, sync=sync
        )
    scanner = open_scanner(scanner_spec, settings)
    scale = None if role == "supervisor" else open_scale(scale_spec, settings)
    supervisor = supervisor_source(server, token) if role in ("", "supervisor") and server else None
    worker = parts.worker if parts else None
    health: SyncHealthSource = WorkerHealth(worker) if worker is not None else NoSync(time.time())
    station = parts.station if parts else None
    autopilot = Autopilot(station, demo_badge, waiting_label=demo_label) if demo_badge and station else None
    app = create_station_app(
        settings,
        station,
        scanner,
        supervisor,
        role=role,
        sync=health,
        scale=scale,
        autopilot=autopilot,
        on_ready=lambda: when_ready(worker),
        database=str(path.resolve()) if parts else "",
    )
    return TerminalRun(app, worker, scale, scanner)


def when_ready(worker: SyncWorker | None) -> None:
    """Once the first screen shows: freeze the start-up heap (no full collections over it mid-scan), then
    connect the sync worker, so neither delays the screen."""
    settle_heap()
    if worker is not None:
        worker.start()
