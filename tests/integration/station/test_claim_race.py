"""A claim whose answer arrives after a pull already stored the same work unit (SQLite, unique work ids)."""

from __future__ import annotations

from pathlib import Path

from app.domain.work import WorkKind, WorkUnit
from app.station.services.commands import ClaimWork
from app.station.services.ports import ClaimedWork
from app.station.store.db import open_station_db
from app.station.store.uow import SqlUnitOfWorkFactory
from tests.unit.station.conftest import RED, line, make_rig


def test_a_claim_answered_after_a_pull_stored_the_same_work_keeps_that_work(tmp_path: Path) -> None:
    rig = make_rig("picker", SqlUnitOfWorkFactory(open_station_db(tmp_path / "st.db"), "boot-1"))
    unit = WorkUnit("W-8", WorkKind.SINGLE, ["1001"], [line("L1", RED, "A-03-02-1", 1, 30)])
    rig.scan("OP-1001")

    def claim_while_a_pull_lands(operator: str) -> ClaimedWork:
        with rig.uow() as u:  # the sync thread stores the lease.granted of the same unit meanwhile
            u.work.add(unit)
            u.commit()
        return ClaimedWork(unit)

    rig.source.claim_pick = claim_while_a_pull_lands  # type: ignore[method-assign]
    verdict = rig.station.handle(ClaimWork())
    assert verdict.accepted and verdict.code == "work_claimed"
    assert rig.station.line_view().work_id == "W-8"  # type: ignore[union-attr]
