"""The link between a station and the server cut, blackholed (half-open) and slowed by a TCP proxy while the
operator keeps scanning: verification goes on offline, and once the link heals the outbox drains (I7) with
nothing lost or applied twice (I1-I4, I6) and stock exact.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.integration.faults.conftest import FaultFloor
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow


def _claimed(lines: list[dict]) -> bool:  # type: ignore[type-arg]
    return any(x.get("code") == "work_claimed" for x in lines)


def test_cut_blackholed_and_slow_link_keeps_verifying_offline_then_drains(fault_floor: FaultFloor) -> None:
    with TcpProxy(fault_floor.server.port) as proxy:
        st = fault_floor.station("L1", server_url=f"http://127.0.0.1:{proxy.port}")
        picker = fault_floor.picker(st, seed=11)
        picker.pace_s = 0.1
        worker = threading.Thread(target=picker.run, daemon=True)
        worker.start()
        deadline = time.monotonic() + 30
        while not _claimed(st.printed) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _claimed(st.printed)
        proxy.cut()
        time.sleep(1.5)
        proxy.blackhole()
        time.sleep(1.5)
        proxy.heal(delay_s=0.02)
        worker.join(120)
        assert not worker.is_alive()
        healed = time.monotonic()
        stopped = st.finish()
        drain_s = time.monotonic() - healed
    offline_ok = [
        x
        for x in st.printed
        if x.get("verdict") == "accepted" and x.get("sync", {}).get("state") == "offline"
    ]
    assert offline_ok, "no scan was verified while the link was down"
    assert stopped is not None and stopped["outbox_depth"] == 0 and drain_s < 20
    assert picker.tally.problems == []
    assert fault_floor.violations() == []
    assert sorted(picker.tally.orders_picked) == sorted(map(str, fault_floor.orders))
