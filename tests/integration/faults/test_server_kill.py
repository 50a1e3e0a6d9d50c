"""`kill -9` of the server process while two stations pick, then a restart on the same database and port.

The stations keep verifying against the work they hold, retry their pushes, and drain once the server is
back: no scan lost or applied twice (I1-I3), lease safety (I4), ack safety (I6), outboxes drained (I7),
stock exact, and every order picked.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.integration.faults.conftest import FaultFloor

pytestmark = pytest.mark.slow


def test_server_killed_mid_traffic_and_restarted_loses_and_doubles_nothing(fault_floor: FaultFloor) -> None:
    stations = [fault_floor.station(f"S{i}") for i in (1, 2)]
    pickers = [fault_floor.picker(st, seed=i) for i, st in enumerate(stations)]
    for p in pickers:
        p.pace_s = 0.05
    threads = [threading.Thread(target=p.run, daemon=True) for p in pickers]
    for t in threads:
        t.start()
    while sum(len(st.recorded_scans()) for st in stations) < 8:
        time.sleep(0.02)
    fault_floor.server.kill()
    killed_mid_traffic = any(t.is_alive() for t in threads)
    time.sleep(1.0)
    fault_floor.server.start()
    for t in threads:
        t.join(120)
    assert killed_mid_traffic
    assert not any(t.is_alive() for t in threads)
    assert all(p.tally.problems == [] for p in pickers), [p.tally.problems for p in pickers]
    for st in stations:
        stopped = st.finish()
        assert stopped is not None and stopped["outbox_depth"] == 0
    assert fault_floor.violations() == []
    assert sorted(o for p in pickers for o in p.tally.orders_picked) == sorted(map(str, fault_floor.orders))
