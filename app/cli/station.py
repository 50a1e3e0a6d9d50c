"""`aisle station`: a floor terminal. `--headless` runs the station services without a screen and prints one
JSON line per scan outcome (verdict, message, order, line, progress, what is expected next).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import UserError
from app.cli.stdin_scanner import StdinScanner
from app.config import Settings, load_settings
from app.domain.work import ExpectKind, Verdict
from app.station.services.commands import ClaimWork, RecordScan
from devices.scan import RejectedFrame, Scan, ScannerStatus

if TYPE_CHECKING:
    from app.station.services.station import Station
    from sync.worker import SyncStatus, SyncWorker


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("station", help="run a picker or packer station (headless: JSON lines, no screen)")
    p.add_argument("--headless", action="store_true", help="no screen: one JSON line per scan on stdout")
    p.add_argument(
        "--role",
        choices=["picker", "packer", "supervisor"],
        help="station role (default: [station] role; none: the terminal asks for a badge)",
    )
    p.add_argument("--station-id", help="station id registered on the server (default: [station] station_id)")
    p.add_argument("--server", help="server base URL (default: [station] server_url)")
    p.add_argument("--token", help="bearer token with the station role (default: [station] token)")
    p.add_argument(
        "--scanner",
        help="scanner spec: keyboard, serial:URL, camera:SOURCE, script:PATH, stdin (one scan a line)",
    )
    p.add_argument("--scale", help="bench scale spec: serial:URL?protocol=nci|continuous, fake:GRAMS")
    p.add_argument("--db", help="station database file (default: [station] database_path)")
    p.add_argument("--no-sync", action="store_true", help="do not talk to the server (offline run)")
    p.add_argument(
        "--drain-seconds",
        type=float,
        default=10.0,
        help="when a script scanner ends: wait this long for the outbox to sync before exiting",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """`aisle station`: the floor terminal, or with --headless the JSON-lines station on the scanner."""
    if not args.headless:
        from app.cli.station_tui import run_tui  # lazy: Textual loads only for a station with a screen

        return run_tui(args)
    settings = load_settings()
    st = settings.station
    role = args.role or st.role
    if role not in ("picker", "packer"):
        raise UserError("--role must be picker or packer (or set [station] role)")
    station_id = args.station_id or st.station_id
    db = Path(args.db or st.database_path.format(station_id=station_id))
    runner = HeadlessStation.build(
        settings,
        role,
        station_id,
        db,
        server=args.server or st.server_url,
        token=args.token or st.token,
        sync=not args.no_sync,
    )
    return runner.run(args.scanner or st.scanner, drain_s=args.drain_seconds)


class HeadlessStation:
    """A headless station: reads its scanner, prints a JSON line per outcome, drains the outbox at the end."""

    def __init__(
        self,
        station: Station,
        worker: SyncWorker | None,
        role: str,
        settings: Settings,
        database: Path | None = None,
    ) -> None:
        self.station, self.worker, self.role, self.settings = station, worker, role, settings
        self.database = database  # the station database file in use, named in the `ready` line
        self._said: tuple[str, str] = ("", "")  # the sync problem and notice last printed

    @classmethod
    def build(
        cls, settings: Settings, role: str, station_id: str, db: Path, *, server: str, token: str, sync: bool
    ) -> HeadlessStation:
        """The station `app.bootstrap.station` builds, run headless."""
        from app.bootstrap.station import build_station  # lazy: SQLAlchemy and sync, not for `aisle --help`

        parts = build_station(settings, role, station_id, db, server=server, token=token, sync=sync)
        return cls(parts.station, parts.worker, role, settings, db)

    def run(self, scanner_spec: str, drain_s: float = 10.0) -> int:
        from app.bootstrap.devices import open_scanner  # lazy: as in `build`
        from app.bootstrap.station import settle_heap

        scanner = (
            StdinScanner() if scanner_spec.strip() == "stdin" else open_scanner(scanner_spec, self.settings)
        )
        if self.worker is not None:
            self.worker.start()
        settle_heap()
        expected = self.station.session_view().expect.as_dict()
        database = str(self.database.resolve()) if self.database else None
        _emit({"event": "ready", "role": self.role, "database": database, "expected": expected})
        said_at = 0.0
        try:
            while True:
                if time.monotonic() - said_at >= 1.0:
                    said_at = time.monotonic()
                    self.say_sync()
                ev = scanner.read(0.2)
                if isinstance(ev, Scan):
                    self.on_scan(ev)
                elif isinstance(ev, RejectedFrame):
                    _emit({"event": "rejected_frame", "reason": ev.reason, "raw": ev.raw.hex()})
                elif isinstance(ev, ScannerStatus):
                    print(
                        json.dumps({"event": "scanner", "state": ev.state, "detail": ev.detail}),
                        file=sys.stderr,
                    )
                if ev is None and getattr(scanner, "exhausted", False):
                    break
        finally:
            scanner.close()
            self.drain(drain_s)
        return 0

    def on_scan(self, scan: Scan) -> None:
        started = time.perf_counter()
        verdict = self.station.handle(RecordScan(scan.text, scan.gs1, scan.aim, scan.symbology, scan.source))
        _emit(self.line(verdict, scan.text, time.perf_counter() - started))
        if self.worker is not None:
            self.worker.kick()
        # no claim after a scan that was not recorded for want of space: the work could not be stored either
        asks = verdict.expect.kind is ExpectKind.WORK and verdict.code not in ("no_work", "disk_full")
        if self.role == "picker" and asks:
            claimed = self.station.handle(ClaimWork(source="headless"))
            _emit(self.line(claimed, None, None))

    def say_sync(self) -> None:
        """Print a `sync` line when what sync has to say changes: a refused token (what to do), a database
        of another server set aside (where its unsent scans are kept)."""
        if self.worker is None:
            return
        status = self.worker.status()
        said = (status.reason if status.state == "token_refused" else "", status.notice)
        if said == self._said:
            return
        self._said = said
        _emit({"event": "sync"} | self.sync_json(status))

    def sync_json(self, status: SyncStatus) -> dict[str, Any]:
        """The `sync` object of a JSON line: state and queue, and what the operator must hear."""
        out: dict[str, Any] = {"state": status.state, "outbox_depth": status.outbox_depth}
        if status.reason:
            out["problem"] = status.reason
        if status.notice:
            out["notice"] = status.notice
        if status.set_aside is not None:
            out["set_aside"] = status.set_aside.as_dict()
        return out

    def line(self, verdict: Verdict, text: str | None, seconds: float | None) -> dict[str, Any]:
        """The JSON line of one outcome."""
        out: dict[str, Any] = {
            "verdict": verdict.outcome,
            "code": verdict.code,
            "message": verdict.message,
            "order": verdict.order_id,
            "line": verdict.line_id,
            "expected": verdict.expect.as_dict(),
        }
        if text is not None:
            out["scan"] = text
        if self.role == "picker" and (view := self.station.line_view()) is not None:
            out["work"] = view.work_id
            out["progress"] = {
                "lines_done": view.done,
                "lines_total": view.total,
                "taken": view.taken,
                "qty": view.qty,
            }
        elif self.role == "packer" and (pack := self.station.pack_view()) is not None:
            out["progress"] = {"units_verified": pack.done, "units_total": pack.total}
        if seconds is not None:
            out["ms"] = round(seconds * 1000, 2)
        if self.worker is not None:
            out["sync"] = self.sync_json(self.worker.status())
        return out

    def drain(self, seconds: float) -> None:
        """Give the sync worker up to `seconds` to push what was recorded, then stop it (the outbox keeps it).

        It stops waiting at once when the outbox is empty, when another process sends for this database, or
        when sync has stopped (upgrade required, seq reuse, server ahead): waiting cannot drain those.
        """
        if self.worker is None:
            return
        deadline = time.monotonic() + seconds
        status = self.worker.status()
        while status.outbox_depth and not (self.worker.passive or status.stopped):
            if time.monotonic() >= deadline:
                break
            self.worker.kick()
            time.sleep(0.1)
            status = self.worker.status()
        self.worker.stop()
        if not status.outbox_depth:
            why = "drained"
        elif self.worker.passive:
            why = "another process sends for this database; scans stay queued in it"
        elif status.stopped:
            why = f"sync {status.state}: {status.detail or status.reason}; scans stay queued in the database"
        else:
            why = f"gave up after {seconds:g} s; scans stay queued in the database"
        stopped = {"event": "stopped", "outbox_depth": status.outbox_depth, "sync": status.state, "why": why}
        _emit(stopped | ({"notice": status.notice} if status.notice else {}))


def _emit(obj: dict[str, Any]) -> None:
    print(json.dumps({k: v for k, v in obj.items() if v is not None}, ensure_ascii=False), flush=True)
