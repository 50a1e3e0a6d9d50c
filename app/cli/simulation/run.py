"""One simulation: a server with seeded stock and M released orders, N picker stations, then N packer
stations, each a headless station subprocess driven by a simulated operator; then the invariants."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import Floor, Operator, Packer, Picker, Tally
from app.cli.simulation.processes import ProcessError, ServerProcess, StationProcess
from app.cli.simulation.station_db import StationDb
from app.cli.simulation.warehouse import (
    load_catalogue,
    make_token,
    plan_orders,
    prepare_database,
    take_and_release,
)
from app.server.db.database import Database
from app.server.orders.models import Order

BOX = ("L", 400)  # the box simulated packers take, and its tare in grams (config.toml [station] box_types)


@dataclass
class SimulationConfig:
    """What `aisle simulate` was asked to do."""

    stations: int = 4
    orders: int = 40
    server_url: str | None = None
    db_url: str | None = None
    seed: int = 1
    error_rate: float = 0.02
    skus: int = 200
    workdir: Path | None = None
    keep: bool = False


@dataclass
class Phase:
    """One phase (picking or packing): how long the operators worked and what they did."""

    name: str
    seconds: float = 0.0
    tallies: list[Tally] = field(default_factory=list)

    def total(self, attr: str) -> int:
        return sum(len(v) if isinstance(v := getattr(t, attr), list) else v for t in self.tallies)


@dataclass
class SimulationReport:
    config: SimulationConfig
    orders: int = 0
    lines: int = 0
    picking: Phase = field(default_factory=lambda: Phase("picking"))
    packing: Phase = field(default_factory=lambda: Phase("packing"))
    violations: list[inv.Violation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    workdir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.violations and not self.problems

    def lines_text(self) -> list[str]:
        c = self.config
        out = [
            f"aisle simulate: {c.stations} picker then {c.stations} packer stations, {self.orders} orders "
            f"({self.lines} lines), seed {c.seed}, error rate {c.error_rate:g}"
        ]
        for ph in (self.picking, self.packing):
            scans, secs = ph.total("scans"), max(ph.seconds, 1e-9)
            done = ph.total("orders_picked" if ph.name == "picking" else "orders_packed")
            text = (
                f"{ph.name}: {done} orders, {scans} scans ({ph.total('wrong_scans')} wrong) in "
                f"{ph.seconds:.1f} s = {scans / secs:.1f} scans/s, {done / secs * 60:.0f} orders/min"
            )
            if ph.name == "picking":
                text += f", {ph.total('lines_done') / secs:.1f} lines/s"
            out.append(text)
        ms = sorted(m for ph in (self.picking, self.packing) for t in ph.tallies for m in t.scan_ms)
        if ms:
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            out.append(
                f"scan-to-verdict in the stations: p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms"
            )
        checks = ("I1", "I2", "I3", "I4", "I6", "I7", "stock", "completion")
        broken = {v.invariant for v in self.violations}
        out.append("invariants: " + ", ".join(f"{k} {'BROKEN' if k in broken else 'ok'}" for k in checks))
        out += [f"  {v}" for v in self.violations[:50]]
        out += [f"  unexpected: {p}" for p in self.problems[:50]]
        if self.workdir is not None:
            out.append(f"station databases and logs kept in {self.workdir}")
        return out


def simulate(cfg: SimulationConfig, echo: Callable[[str], None] = print) -> SimulationReport:
    """Run the whole simulation and check the invariants; never leaves a subprocess behind."""
    workdir = cfg.workdir or Path(tempfile.mkdtemp(prefix="aisle-sim-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = cfg.db_url or f"sqlite:///{workdir / 'server.db'}"
    report = SimulationReport(cfg)
    db = prepare_database(db_url, skus=cfg.skus, seed=cfg.seed)
    server = None if cfg.server_url else ServerProcess(db_url, workdir)
    try:
        url = server.start().url if server is not None else cfg.server_url or ""
        _run(cfg, report, db, url, workdir, echo)
    finally:
        if server is not None:
            server.stop()
        db.dispose()
    if cfg.keep or not report.ok:
        report.workdir = workdir
    elif cfg.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _run(
    cfg: SimulationConfig,
    report: SimulationReport,
    db: Database,
    url: str,
    workdir: Path,
    echo: Callable[[str], None],
) -> None:
    rng = random.Random(cfg.seed)
    catalogue = load_catalogue(db)
    admin = {"Authorization": f"Bearer {make_token(db, 'admin', 'simulate')}"}
    with httpx.Client(base_url=url, headers=admin, timeout=60) as api:
        orders = take_and_release(
            api, plan_orders(catalogue, cfg.orders, rng), f"{cfg.seed}-{time.time():.0f}"
        )
    report.orders, report.lines = len(orders), sum(len(x) for x in orders.values())
    echo(f"{len(orders)} orders released; starting {cfg.stations} picker stations on {url}")
    floor = Floor(catalogue, orders, BOX)
    done = threading.Event()
    run_id = f"{time.time():.0f}"[-5:]
    stations: list[StationProcess] = []

    def make(role: str, i: int) -> StationProcess:
        sid = f"SIM{run_id}-{'P' if role == 'picker' else 'K'}{i:02d}"
        st = StationProcess(
            sid, role, workdir / f"{sid}.db", url, make_token(db, "station", sid), log_dir=workdir
        )
        stations.append(st)
        return st

    def picker(i: int) -> Operator:
        return Picker(make("picker", i), floor, random.Random(rng.random()), cfg.error_rate)

    def packer(i: int) -> Operator:
        st = make("packer", i)
        return Packer(st, floor, random.Random(rng.random()), cfg.error_rate, pickers_done=done)

    try:
        _phase(report.picking, [picker(i) for i in range(1, cfg.stations + 1)], report)
        done.set()
        echo(f"picked; starting {cfg.stations} packer stations")
        _phase(report.packing, [packer(i) for i in range(1, cfg.stations + 1)], report)
    finally:
        for st in stations:
            st.kill()
    report.violations += inv.check_replicas(db, [StationDb(st.db, st.station_id) for st in stations])
    report.violations += inv.check_effects(db, one_station_per_line=True)
    report.violations += _completion(db, orders)


def _phase(phase: Phase, operators: list[Operator], report: SimulationReport) -> None:
    """Start every station, let the operators work at once, then let each station drain and exit."""
    ready = threading.Barrier(len(operators) + 1)
    finished: list[float] = []

    def work(op: Operator) -> None:
        try:
            op.station.start()
        except ProcessError as exc:
            op.tally.problems.append(str(exc))
        ready.wait()
        try:
            if op.station.proc is not None and op.station.proc.poll() is None:
                op.run()
        except ProcessError as exc:
            op.tally.problems.append(str(exc))
        finished.append(time.perf_counter())
        try:
            stopped = op.station.finish()
            if stopped and stopped.get("outbox_depth"):
                op.tally.problems.append(
                    f"{op.station.station_id} exited with {stopped['outbox_depth']} unsynced"
                )
        except ProcessError as exc:
            op.tally.problems.append(str(exc))

    threads = [threading.Thread(target=work, args=(op,), daemon=True) for op in operators]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    phase.seconds = (max(finished) if finished else time.perf_counter()) - started
    phase.tallies = [op.tally for op in operators]
    report.problems += [p for op in operators for p in op.tally.problems]


def _completion(db: Database, orders: dict[int, list[tuple[str, int]]]) -> list[inv.Violation]:
    """Every released order ends packed."""

    with db.session_scope() as s:
        status = dict(
            s.execute(select(Order.id, Order.status).where(Order.id.in_(list(orders)))).tuples().all()
        )
    left = {oid: st for oid, st in status.items() if st != "packed"}
    if not left:
        return []
    sample = ", ".join(f"{oid} {st}" for oid, st in list(left.items())[:10])
    return [inv.Violation("completion", f"{len(left)} of {len(orders)} orders are not packed ({sample})")]
