"""`aisle station` without --headless: the floor terminal (Textual), wired like the headless station."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli import UserError
from app.station.services.terminal_ports import NoSync, Scale, SyncHealth


class WorkerHealth:
    """The sync worker's status as the status bar wants it; remembers since when it is offline."""

    def __init__(self, worker: Any, now: Callable[[], float] = time.time) -> None:
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
        )

    def kick(self) -> None:
        """Push now: a scan was just recorded."""
        self.worker.kick()


def run_tui(
    args: argparse.Namespace,
    demo_badge: str | None = None,
    demo_label: Callable[[], str | None] | None = None,
) -> int:
    """Open the terminal for --role (picker, packer, supervisor; none → the badge screen asks).

    `demo_badge` (aisle demo) adds the F9 "scan for me" autopilot, signing in with that badge.
    """
    from app.cli.station import HeadlessStation
    from app.config import load_settings
    from app.station.ui.factory import create_station_app
    from devices.factory import open_scanner

    settings = load_settings()
    st = settings.station
    role = args.role or st.role
    if role not in ("", "picker", "packer", "supervisor"):
        raise UserError(f"[station] role must be picker, packer or supervisor, got {role!r}")
    st.station_id = args.station_id or st.station_id
    server, token = args.server or st.server_url, args.token or st.token
    station = worker = None
    if role != "supervisor":
        db = Path(args.db or st.database_path.format(station_id=st.station_id))
        runner = HeadlessStation.build(
            settings, role or "picker", st.station_id, db, server=server, token=token, sync=not args.no_sync
        )
        station, worker = runner.station, runner.worker
    try:
        scanner = open_scanner(args.scanner or st.scanner, settings.scanner, settings.camera)
    except ValueError as exc:
        raise UserError(f"--scanner: {exc}") from None
    scale = None if role == "supervisor" else open_scale(getattr(args, "scale", None) or st.scale, settings)
    supervisor = None
    if role in ("", "supervisor") and server:
        from sync.supervisor_client import HttpSupervisorSource

        supervisor = HttpSupervisorSource.connect(server, token)
    sync = WorkerHealth(worker) if worker is not None else NoSync(time.time())
    autopilot = None
    if demo_badge and station is not None:
        from app.station.services.autopilot import Autopilot

        autopilot = Autopilot(station, demo_badge, waiting_label=demo_label)
    app = create_station_app(
        settings,
        station,
        scanner,
        supervisor,
        role=role,
        sync=sync,
        scale=scale,
        autopilot=autopilot,
        on_ready=lambda: when_ready(worker),
    )
    try:
        app.run()
    finally:
        if worker is not None:
            worker.stop()
        if scale is not None:
            scale.close()
    return int(app.return_code or 0)


def when_ready(worker: Any) -> None:
    """Once the first screen shows: freeze the start-up heap (no full collections over it mid-scan), then
    connect the sync worker, so neither delays the screen."""
    from app.cli.station import settle_heap

    settle_heap()
    if worker is not None:
        worker.start()


def open_scale(spec: str, settings: Any) -> Scale | None:
    """The bench scale --scale or [station] scale names (None: the packer types weights); a bad spec stops."""
    from devices.scale_factory import open_scale as open_spec

    try:
        return open_spec(spec, reconnect_max_seconds=settings.scanner.reconnect_max_seconds)
    except ValueError as exc:
        raise UserError(f"--scale / [station] scale: {exc}") from None
