"""Process-level fault fixtures: `aisle server` and headless stations as real subprocesses on loopback.

`fault_floor` is a seeded server database with a few orders released to work, the server process on it, and
a factory for station processes. Every process is killed when the test ends. It runs once per `backend`:
a SQLite file under tmp_path, and a PostgreSQL database of its own on the shared test cluster (copied from
a seeded template, dropped after the test). A test pins one backend with
`@pytest.mark.parametrize("backend", [...])`; without PostgreSQL the PostgreSQL runs skip (fail in CI).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from app.cli.simulation import invariants as inv
from app.cli.simulation.operators import Floor, Picker
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
from tests.support.pg import PostgresUnavailable, create_database, drop_database, skip_or_fail

pytestmark = pytest.mark.slow


@dataclass
class FaultFloor:
    """A running server with released work, and the stations a test started."""

    tmp: Path
    db: Database
    server: ServerProcess
    floor: Floor
    orders: dict[int, list[tuple[str, int]]]
    stations: list[StationProcess] = field(default_factory=list)

    def station(
        self,
        station_id: str,
        role: str = "picker",
        *,
        server_url: str | None = None,
        env: dict[str, str] | None = None,
        start: bool = True,
    ) -> StationProcess:
        """A headless station process (started unless `start=False`) on its own database under tmp."""
        st = StationProcess(
            station_id,
            role,
            self.tmp / f"{station_id}.db",
            server_url or self.server.url,
            make_token(self.db, "station", station_id),
            log_dir=self.tmp,
            env=env,
            drain_seconds=20,
        )
        self.stations.append(st)
        if start:
            st.start()
        return st

    def picker(self, st: StationProcess, seed: int = 1, error_rate: float = 0.1) -> Picker:
        return Picker(st, self.floor, random.Random(seed), error_rate)

    def pick_until_dead_or_done(self, st: StationProcess, seed: int = 1) -> bool:
        """Let a simulated picker work until there is no work left (True) or the station died (False)."""
        try:
            self.picker(st, seed).run()
        except ProcessError:
            return False
        return True

    def violations(self, stations: list[StationProcess] | None = None, *, drained: bool = True) -> list[str]:
        """Every broken invariant (I1-I4, I6, I7, stock) over the server and these station databases."""
        dbs = [StationDb(st.db, st.station_id) for st in (stations or self.stations)]
        found = inv.check_replicas(self.db, dbs, drained=drained) + inv.check_effects(self.db)
        return [str(v) for v in found]

    def converged(self, stations: list[StationProcess]) -> list[str]:
        """I5 over these (exited) stations, each after a final pull on its database with its credential."""
        for st in stations:
            final_pull(st, self.server.url)
        return [
            str(v)
            for v in inv.check_convergence(self.db, [StationDb(st.db, st.station_id) for st in stations])
        ]


def final_pull(st: StationProcess, server_url: str) -> None:
    """Pull on an exited station's database until the server has no more changes (the "final pull" of I5)."""
    from app.station.services.clock import SystemClock
    from app.station.store.db import open_station_db
    from app.station.store.sync_store import SqlSyncStore
    from sync.client import SyncClient

    engine = open_station_db(st.db)
    http = httpx.Client(base_url=server_url, headers={"Authorization": f"Bearer {st.token}"}, timeout=10.0)
    client = SyncClient(
        http, SqlSyncStore(engine), SystemClock(), station_id=st.station_id, app_version="test"
    )
    try:
        for _ in range(100):
            assert client.pull_once(), f"{st.station_id}: final pull failed: {client.last_error}"
            if not client.more:
                break
    finally:
        http.close()
        engine.dispose()


def release_orders(db: Database, url: str, count: int, seed: int) -> dict[int, list[tuple[str, int]]]:
    catalogue = load_catalogue(db)
    admin = {"Authorization": f"Bearer {make_token(db, 'admin', 'faults')}"}
    with httpx.Client(base_url=url, headers=admin, timeout=30) as api:
        return take_and_release(api, plan_orders(catalogue, count, random.Random(seed)), f"F{seed}")


#: the server backends every fault test runs on unless it pins one
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The server database the fault floor runs on: sqlite or postgresql."""
    return str(request.param)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded server database built once; each test gets a copy (seeding takes seconds)."""
    path = tmp_path_factory.mktemp("template") / "server.db"
    prepare_database(f"sqlite:///{path}", skus=60, seed=7).dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """The same seeded database on PostgreSQL, built once; each test gets a copy (CREATE … TEMPLATE)."""
    try:
        url = create_database("aisle_faults_template_")
    except PostgresUnavailable as exc:
        skip_or_fail(exc)
    try:
        prepare_database(url, skus=60, seed=7).dispose()
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def server_db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh copy of the seeded server database on `backend`, dropped after the test."""
    if backend == "sqlite":
        copy_sqlite(request.getfixturevalue("seeded_template"), tmp_path / "server.db")
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    try:
        url = create_database("aisle_faults_", template=request.getfixturevalue("pg_template"))
    except PostgresUnavailable as exc:
        skip_or_fail(exc)
    try:
        yield url
    finally:
        drop_database(url)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (WAL included), as a backup tool would make it."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@contextmanager
def running_floor(db_url: str, tmp: Path, orders: int = 4) -> Iterator[FaultFloor]:
    """The server process on `db_url` (seeded if empty) with `orders` orders released; all killed after."""
    db = prepare_database(db_url, skus=60, seed=7)
    server = ServerProcess(db_url, tmp)
    ff = FaultFloor(tmp, db, server, Floor(load_catalogue(db), {}, ("L", 400)), {})
    try:
        server.start()
        ff.orders = release_orders(db, server.url, orders, 7)
        ff.floor.orders.update(ff.orders)
        yield ff
    finally:
        for st in ff.stations:
            st.kill()
        server.kill()
        db.dispose()


@pytest.fixture
def fault_floor(tmp_path: Path, server_db_url: str) -> Iterator[FaultFloor]:
    """A server process on a seeded database with 4 orders released (no station started yet)."""
    with running_floor(server_db_url, tmp_path) as ff:
        yield ff
