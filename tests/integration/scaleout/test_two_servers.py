"""Scale-out: two `aisle server` processes on ONE PostgreSQL database, 50 stations racing for 1,000 lines.

Stations (the real station engine and sync client, each on its own SQLite file, in this process) claim work
from both servers at once and pick and push at once. Afterwards: no line was leased to two stations, no line
was picked by two stations (I4), every event is on the server exactly once with contiguous seqs (I1-I3),
every outbox drained (I7), each pick moved stock exactly once and stock adds up, and every line is picked.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import Floor, Picker
from app.cli.simulation.processes import ServerProcess
from app.cli.simulation.station_db import StationDb
from app.cli.simulation.warehouse import (
    load_catalogue,
    make_token,
    plan_orders,
    prepare_database,
    take_and_release,
)
from app.server.db.database import Database
from app.server.work.models import WorkLine
from tests.integration.server.conftest import pg_url  # noqa: F401  (fixture)
from tests.support.in_process import InProcessStation

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

STATIONS, LINES = 50, 1000


@pytest.fixture
def two_servers(pg_url: str, tmp_path: Path) -> Iterator[tuple[Database, list[ServerProcess]]]:  # noqa: F811
    db = prepare_database(pg_url, skus=300, seed=3)
    servers = [ServerProcess(pg_url, tmp_path) for _ in range(2)]
    try:
        for s in servers:
            s.start(timeout=60)
        yield db, servers
    finally:
        for s in servers:
            s.kill()
        db.dispose()


def _release_lines(db: Database, url: str, lines: int) -> dict[int, list[tuple[str, int]]]:
    catalogue, rng = load_catalogue(db), random.Random(3)
    plans: list[list[tuple[str, int]]] = []
    for plan in plan_orders(catalogue, lines, rng):
        if sum(len(p) for p in plans) + len(plan) > lines:
            break
        plans.append(plan)
    admin = {"Authorization": f"Bearer {make_token(db, 'admin', 'scale')}"}
    with httpx.Client(base_url=url, headers=admin, timeout=120) as api:
        return take_and_release(api, plans, "scale")


def test_fifty_stations_on_two_servers_never_share_a_line_and_apply_every_event_once(
    two_servers: tuple[Database, list[ServerProcess]], tmp_path: Path
) -> None:
    db, servers = two_servers
    orders = _release_lines(db, servers[0].url, LINES)
    with db.session_scope() as s:
        released = len(s.scalars(select(WorkLine.id)).all())
    assert released >= LINES * 0.95  # one work line per reserved slot: about one per order line
    floor = Floor(load_catalogue(db), orders, ("L", 400))
    stations = [
        InProcessStation(
            f"X{i:02d}", tmp_path / f"X{i:02d}.db", servers[i % 2].url, make_token(db, "station", f"X{i:02d}")
        )
        for i in range(STATIONS)
    ]
    pickers = [Picker(st, floor, random.Random(i), 0.0) for i, st in enumerate(stations)]  # type: ignore[arg-type]
    gate = threading.Barrier(STATIONS)
    errors: list[BaseException] = []

    def work(p: Picker, st: InProcessStation) -> None:
        try:
            st.start()
            gate.wait(180)
            p.run()
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(p, st), daemon=True)
        for p, st in zip(pickers, stations, strict=True)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(240)
    assert not any(t.is_alive() for t in threads) and errors == [], errors[:3]
    deadline = time.monotonic() + 60
    while any(st.depth() for st in stations) and time.monotonic() < deadline:
        for st in stations:
            st.runner.worker.kick()
        time.sleep(0.2)
    for st in stations:
        st.stop()
    elapsed = time.perf_counter() - started
    assert [p for pk in pickers for p in pk.tally.problems] == []

    leased = Counter(line_id for st in stations for line_id in _lines_of(st.db))
    assert leased and max(leased.values()) == 1, [k for k, n in leased.items() if n > 1][:5]
    dbs = [StationDb(st.db, st.station_id) for st in stations]
    found = inv.check_replicas(db, dbs) + inv.check_effects(db, one_station_per_line=True)
    assert [str(v) for v in found] == []
    with db.session_scope() as s:
        open_lines = s.scalars(select(WorkLine.id).where(WorkLine.status != "picked")).all()
    assert open_lines == []
    busy = sum(1 for p in pickers if p.tally.lines_done)
    assert busy >= STATIONS // 2, f"only {busy} stations got work in {elapsed:.0f} s"


def _lines_of(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT line_id FROM work_lines")]
