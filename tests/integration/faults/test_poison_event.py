"""A poison event in a real station's outbox: one the server cannot apply (docs/sync.md S4, I7).

The station process starts on a database whose outbox already holds it between ordinary events. The queue
must not wedge: the poison is recorded on the server as rejected, the events after it are applied, the
station hears the outcome, and the outbox drains.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.cli.simulation.station_db import StationDb
from app.server.stations.models import SyncEvent
from app.station.services.ports import OutboxEntry
from app.station.store.db import open_station_db
from app.station.store.uow import SqlUnitOfWorkFactory
from tests.integration.faults.conftest import FaultFloor

pytestmark = pytest.mark.slow

SIGNED_IN = ("OperatorSignedIn", {"badge": "OP-1001", "role": "picker"})
WRONG_ITEM = ("ScanRefused", {"code": "wrong_item", "message": "Wrong item"})
SIGNED_OUT = ("OperatorSignedOut", {"badge": "OP-1001"})


def _queue(db: Path, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Write `events` to the station's outbox the way the station does (seq and digest in one transaction)."""
    engine = open_station_db(db)
    with SqlUnitOfWorkFactory(engine)() as uow:
        for type_, payload in events:
            uow.outbox.append(OutboxEntry(str(uuid.uuid4()), type_, 1, payload, time.time()))
        uow.commit()
    engine.dispose()


def _server_outcomes(ff: FaultFloor, db: Path) -> list[tuple[int, str, str]]:
    with ff.db.session_scope() as s:
        rows = s.execute(
            select(SyncEvent.seq, SyncEvent.outcome, SyncEvent.reason)
            .where(SyncEvent.replica_id == StationDb(db).replica_id())
            .order_by(SyncEvent.seq)
        )
        return [(seq, outcome, (reason or "").split(":")[0]) for seq, outcome, reason in rows]


def test_a_poison_event_is_recorded_as_rejected_and_the_queue_behind_it_drains(
    fault_floor: FaultFloor,
) -> None:
    st = fault_floor.station("PZ1", start=False)
    unknown = ("PalletTeleported", {"pallet": "P-1"})  # a type this server does not know
    malformed = ("CountTaskRequested", {"sku": "MUG-RED"})  # the location is missing
    _queue(st.db, [SIGNED_IN, unknown, malformed, WRONG_ITEM, SIGNED_OUT])
    st.start()
    stopped = st.finish()

    assert stopped is not None and stopped["outbox_depth"] == 0, stopped
    assert _server_outcomes(fault_floor, st.db) == [
        (1, "accepted", ""),
        (2, "rejected_recorded", "unknown_event_type"),
        (3, "rejected_recorded", "malformed"),
        (4, "accepted", ""),
        (5, "accepted", ""),
    ]
    told = {r.seq: r.outcome for r in StationDb(st.db).outbox()}
    assert (told[2], told[3]) == ("rejected_recorded", "rejected_recorded")  # the station knows
    assert fault_floor.violations() == []  # I1-I3, I6, I7


def test_an_event_naming_an_impossible_order_id_is_recorded_and_the_queue_drains(
    fault_floor: FaultFloor,
) -> None:
    """A 20-digit order id once crashed the push (OverflowError on SQLite, out of range on PostgreSQL) and the
    station retried the batch forever. It names no order: the refused scan is recorded like any other. (A
    handler that crashes is rejected alone: tests/integration/sync/test_poison_events.py.)"""
    st = fault_floor.station("PZ2", start=False)
    st.drain_seconds = 4
    crash = ("ScanRefused", {"code": "order_unknown", "message": "?", "order_id": "ORD-" + "9" * 20})
    _queue(st.db, [SIGNED_IN, crash, SIGNED_OUT])
    st.start()
    stopped = st.finish()

    assert stopped is not None and stopped["outbox_depth"] == 0, stopped
    outcomes = [o for _, o, _ in _server_outcomes(fault_floor, st.db)]
    assert outcomes == ["accepted", "accepted", "accepted"]
