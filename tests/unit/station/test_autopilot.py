"""The demo's "scan for me" autopilot picks and packs a whole order with only right scans."""

from __future__ import annotations

from app.domain.work import WorkKind, WorkUnit
from app.station.services.autopilot import Autopilot
from app.station.services.commands import RecordScan
from app.station.services.ports import ClaimedWork
from tests.unit.station.conftest import HONEY, RED, line, make_rig, pack_order


def _run(pilot: Autopilot, limit: int = 40, stop_after: str = "") -> list[tuple[str, bool, str]]:
    """Scan what the autopilot suggests until it has nothing to suggest or `stop_after` was scanned."""
    log: list[tuple[str, bool, str]] = []
    for _ in range(limit):
        scan = pilot.next_scan()
        if scan is None:
            break
        verdict = pilot.station.handle(RecordScan(scan.text, gs1=scan.gs1, source="demo"))
        log.append((scan.text, verdict.accepted, verdict.message))
        if scan.text == stop_after:
            break
    return log


def test_autopilot_picks_a_whole_order_including_a_lot_tracked_line_and_closes_the_tote() -> None:
    unit = WorkUnit(
        "W-1",
        WorkKind.SINGLE,
        ["1001"],
        [line("L1", RED, "A-03-02-1", 2, 30), line("L2", HONEY, "A-01-01-1", 1, 10, lot="L42")],
    )
    rig = make_rig("picker")
    rig.source.pick_queue.append(ClaimedWork(unit))
    pilot = Autopilot(rig.station, "OP-1001")
    log = _run(pilot, stop_after="CMD-DONE")
    refused = [entry for entry in log if not entry[1]]
    assert refused == []
    assert "ToteClosed" in rig.events()
    assert pilot.picked_totes == ["T-9001"]  # the packer's autopilot scans this tote next


def test_autopilot_packs_and_seals_an_order_once_its_tote_is_scanned() -> None:
    rig = make_rig("packer")
    order = pack_order()
    rig.source.pack_orders.update({"T-0001": order, "1001": order})
    pilot = Autopilot(rig.station, "OP-1001")
    _run(pilot, stop_after="OP-1001")
    assert pilot.next_scan() is None  # no tote picked by this autopilot: the packer scans what arrives
    pilot.picked_totes.append("T-0001")
    log = _run(pilot, stop_after="CMD-DONE")
    assert all(ok for _, ok, _ in log), log
    assert "OrderSealed" in rig.events()


def test_a_signed_in_picker_scanning_their_own_badge_claims_work() -> None:
    rig = make_rig("picker")
    rig.source.pick_queue.append(
        ClaimedWork(WorkUnit("W-7", WorkKind.SINGLE, ["1001"], [line("L1", RED, "A-03-02-1", 1, 30)]))
    )
    first = rig.scan("OP-1001")
    assert first.code == "signed_in" and rig.station.line_view() is None
    second = rig.scan("OP-1001")
    assert second.accepted and rig.station.line_view() is not None
    assert rig.station.line_view().work_id == "W-7"  # type: ignore[union-attr]
