"""`aisle station`: a floor terminal. `--headless` runs the station services without a screen and prints one
JSON line per scan outcome (verdict, message, order, line, progress, what is expected next).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from app.cli import UserError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    if not args.headless:
        from app.cli.station_tui import run_tui

        return run_tui(args)
    from app.config import load_settings

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
    """The composition root of a headless station: store, services, sync worker, scanner loop."""

    def __init__(self, station: Any, worker: Any, role: str, settings: Any) -> None:
        self.station, self.worker, self.role, self.settings = station, worker, role, settings

    @classmethod
    def build(
        cls, settings: Any, role: str, station_id: str, db: Path, *, server: str, token: str, sync: bool
    ) -> HeadlessStation:
        from app.domain.packing import WeightTolerance
        from app.domain.scanning import LabelRules
        from app.station.services.clock import SystemClock
        from app.station.services.deps import StationConfig, StationDeps, domain_interpreter, parse_box
        from app.station.services.station import Station
        from app.station.store.sync_store import SqlSyncStore
        from app.station.store.uow import SqlUnitOfWorkFactory
        from app.station.store.upgrade import UpgradeFailed, open_and_upgrade
        from sync.client import SyncClient
        from sync.worker import SingleSender, SyncWorker

        st, labels = settings.station, settings.labels
        try:
            boxes = tuple(parse_box(b) for b in st.box_types)
        except ValueError as exc:
            raise UserError(f"[station] box_types: {exc}") from None
        try:
            engine = open_and_upgrade(db)
        except UpgradeFailed as exc:
            raise UserError(str(exc)) from None
        clock = SystemClock()
        client = SyncClient(
            lambda: http_client(server, token),  # made on first use: httpx loads after the screen shows
            SqlSyncStore(engine),
            clock,
            station_id=station_id,
            app_version=_version(),
            margin_s=st.lease_margin_seconds,
        )
        worker = SyncWorker(client, st.sync_interval_seconds, SingleSender(db)) if sync else None
        rules = LabelRules(
            location=labels.location,
            location_check_digit=labels.location_check_digit,
            tote=labels.tote,
            badge=labels.badge,
            order=labels.order,
            rma=labels.rma,
            command_prefix=labels.command_prefix,
            gs_replacement=settings.scanner.gs_replacement,
        )
        config = StationConfig(
            station_id, role, boxes, WeightTolerance(st.weight_tolerance_g, st.weight_tolerance_percent)
        )
        deps = StationDeps(
            SqlUnitOfWorkFactory(engine), clock, domain_interpreter(rules), config, client if sync else None
        )
        return cls(Station(deps), worker, role, settings)

    def run(self, scanner_spec: str, drain_s: float = 10.0) -> int:
        from devices.factory import open_scanner
        from devices.scan import RejectedFrame, Scan, ScannerStatus

        try:
            scanner = (
                stdin_scanner()
                if scanner_spec.strip() == "stdin"
                else open_scanner(scanner_spec, self.settings.scanner, self.settings.camera)
            )
        except ValueError as exc:
            raise UserError(f"--scanner: {exc}") from None
        if self.worker is not None:
            self.worker.start()
        settle_heap()
        _emit({"event": "ready", "role": self.role, "expected": self.station.session_view().expect.as_dict()})
        try:
            while True:
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

    def on_scan(self, scan: Any) -> None:
        from app.domain.work import ExpectKind
        from app.station.services.commands import ClaimWork, RecordScan

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

    def line(self, verdict: Any, text: str | None, seconds: float | None) -> dict[str, Any]:
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
            status = self.worker.status()
            out["sync"] = {"state": status.state, "outbox_depth": status.outbox_depth}
            if status.notice:
                out["sync"]["notice"] = status.notice
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


def http_client(server: str, token: str) -> Any:
    """The sync client's connection to the server (an httpx.Client with the station's bearer token)."""
    import httpx

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server, headers=headers, timeout=httpx.Timeout(5.0, connect=2.0))


def stdin_scanner() -> Any:
    """`--scanner stdin`: one scan per input line (the load simulator and fault tests drive stations so)."""
    from app.cli.stdin_scanner import StdinScanner

    return StdinScanner()


def settle_heap() -> None:
    """After start-up, move every live object out of the collector's reach (gc.freeze).

    Full collections over the start-up heap (SQLAlchemy, pydantic, the catalogue) otherwise pause a scan for
    30-50 ms now and then; frozen, the scan-to-verdict p99 stays within a few milliseconds (tests/bench).
    """
    import gc

    gc.collect()
    gc.freeze()


def _emit(obj: dict[str, Any]) -> None:
    print(json.dumps({k: v for k, v in obj.items() if v is not None}, ensure_ascii=False), flush=True)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aisle")
    except PackageNotFoundError:
        return "0.0.0"
