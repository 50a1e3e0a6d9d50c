"""PostgreSQL restarted under a running `aisle server` while stations push and claim: a clean restart
(`pg_ctl restart -m fast`), a crash (`-m immediate`, WAL recovery on start) and an outage of seconds.

PostgreSQL here is a private cluster of the test (tests.support.pg_private), never the shared one. While it is
down the server answers 503 `database_unavailable` (not a crash, not a 500), the stations show offline and
keep verifying scans against the work they hold. Once it is back the same server process serves them again:
every outbox drains (I7), nothing is lost or applied twice (I1-I4, I6), stock is exact, leases converge after
a final pull (I5) and every order is picked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.cli.simulation.processes import StationProcess
from app.cli.simulation.station_db import StationDb
from tests.integration.faults.conftest import FaultFloor, running_floor
from tests.support.pg import PostgresUnavailable, skip_or_fail
from tests.support.pg_private import PrivateCluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def private_floor(tmp_path: Path) -> Iterator[tuple[FaultFloor, PrivateCluster]]:
    """The fault floor (8 orders released) on a PostgreSQL cluster of its own, which the test may restart."""
    try:
        cluster = PrivateCluster()
    except PostgresUnavailable as exc:
        skip_or_fail(exc)
    with cluster:
        cluster.start()
        with running_floor(cluster.create_database("aisle"), tmp_path, orders=8) as ff:
            yield ff, cluster


def _wait_scans(stations: list[StationProcess], count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while sum(len(st.recorded_scans()) for st in stations) < count:
        assert time.monotonic() < deadline, f"the stations recorded fewer than {count} scans"
        time.sleep(0.02)


def _heals(ff: FaultFloor, stations: list[StationProcess], threads: list[threading.Thread]) -> None:
    """Every operator finishes, every outbox drains, and the invariants hold on the same server process."""
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "an operator never finished"
    for st in stations:
        stopped = st.finish()
        assert stopped is not None and stopped["outbox_depth"] == 0, stopped  # I7
    assert ff.server.proc is not None and ff.server.proc.poll() is None, "the server process died"
    assert ff.server.starts == 1
    ff.db.engine.dispose()  # this checker's own pooled connections died with the restart (not the server's)
    assert ff.violations() == []  # I1-I4, I6, I7, stock
    assert ff.converged(stations) == []  # I5


def test_postgres_restarted_and_crashed_mid_traffic_loses_and_doubles_nothing(
    private_floor: tuple[FaultFloor, PrivateCluster],
) -> None:
    ff, pg = private_floor
    stations = [ff.station(f"P{i}") for i in (1, 2)]
    pickers = [ff.picker(st, seed=i) for i, st in enumerate(stations)]
    for p in pickers:
        p.pace_s = 0.05
    threads = [threading.Thread(target=p.run, daemon=True) for p in pickers]
    for t in threads:
        t.start()
    for mode, after_scans in (("fast", 10), ("immediate", 30), ("immediate", 50)):
        _wait_scans(stations, after_scans)
        assert any(t.is_alive() for t in threads), f"traffic ended before the {mode} restart"
        pg.restart(mode)
    _heals(ff, stations, threads)
    assert all(p.tally.problems == [] for p in pickers), [p.tally.problems for p in pickers]
    assert sorted(o for p in pickers for o in p.tally.orders_picked) == sorted(map(str, ff.orders))


def test_while_postgres_is_down_the_server_answers_503_and_stations_keep_scanning_offline(
    private_floor: tuple[FaultFloor, PrivateCluster],
) -> None:
    ff, pg = private_floor
    st = ff.station("Q1")
    picker = ff.picker(st, seed=5, error_rate=0.0)
    picker.pace_s = 0.2
    worker = threading.Thread(target=picker.run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 30
    while not any(x.get("code") == "work_claimed" for x in st.printed) and time.monotonic() < deadline:
        time.sleep(0.02)
    pg.stop("immediate")
    down_from = len(st.printed)

    station = {"Authorization": f"Bearer {st.token}"}
    ids = {"station_id": st.station_id, "replica_id": StationDb(st.db).replica_id()}
    with httpx.Client(base_url=ff.server.url, headers=station, timeout=30) as api:
        answers = [
            api.get("/api/v1/sync/pull", params=ids),
            api.post("/api/v1/sync/push", json={**ids, "app_version": "test", "events": []}),
            api.post("/api/v1/work/claim", json={**ids, "operator": "OP-1001"}),
        ]
    for resp in answers:
        assert resp.status_code == 503, (resp.request.url, resp.status_code, resp.text)
        body = resp.json()
        assert body["error"] == "database_unavailable" and "database" in body["message"], body
        assert resp.headers.get("retry-after")
    time.sleep(3.0)  # the operator keeps scanning on the work the station holds
    down = st.printed[down_from:]
    pg.start()
    picker.pace_s = 0.02  # the rest of the work at full speed

    offline_ok = [
        x for x in down if x.get("verdict") == "accepted" and x.get("sync", {}).get("state") == "offline"
    ]
    assert offline_ok, "no scan was verified and recorded while the database was down"
    _heals(ff, [st], [worker])
    assert picker.tally.problems == []
