"""Recording a verdict: the scan row and its outbox events, in the caller's unit of work (one transaction)."""

from __future__ import annotations

from app.domain.events import Event, ScanNoted
from app.domain.work import Expect, ExpectKind, Verdict, WorkUnit
from app.station.services.deps import StationDeps
from app.station.services.ids import time_ordered_uuid
from app.station.services.ports import OutboxEntry, ScanRecord, StationSession, UnitOfWork


def record(
    uow: UnitOfWork,
    deps: StationDeps,
    session: StationSession,
    verdict: Verdict,
    *,
    text: str,
    source: str,
    aim: str | None = None,
    unit: WorkUnit | None = None,
    is_scan: bool = True,
) -> Verdict:
    """Write the scan record and the verdict's events to the outbox; a scan with no event still gets one.

    Every scan reaches the server (a fact, docs/sync.md S4); key actions that change nothing stay local.
    """
    wall, boot = deps.clock.wall(), deps.clock.boot()
    scan_id = time_ordered_uuid(int(wall * 1e9))  # the station's clock, as the rest
    token = _token(unit, verdict.line_id)
    uow.scans.add(
        ScanRecord(
            scan_id=scan_id,
            station_id=deps.config.station_id,
            operator=session.operator,
            text=text,
            source=source,
            outcome=verdict.outcome,
            code=verdict.code,
            message=verdict.message,
            wall=wall,
            boot=boot,
            aim=aim,
            work_id=unit.work_id if unit else None,
            line_id=verdict.line_id,
            order_id=verdict.order_id,
            lease_token=token,
        )
    )
    events: tuple[Event, ...] = verdict.events
    if not events and is_scan:
        events = (ScanNoted(code=verdict.code, outcome=verdict.outcome, line_id=verdict.line_id),)
    common = {
        "station_id": deps.config.station_id,
        "operator": session.operator,
        "role": session.role,
        "scan_id": scan_id,
        "scan": text if is_scan else None,
        "source": source,
        "work_id": unit.work_id if unit else None,
    }
    common = {k: v for k, v in common.items() if v is not None}
    for ev in events:
        leased = ev.lease_line_id
        line_token = _token(unit, leased)
        lease = (leased, line_token) if leased and line_token is not None else None
        event_id = time_ordered_uuid(int(wall * 1e9))
        payload = {**common, **ev.to_payload()}  # the event's own fields win over the stamp
        uow.outbox.append(OutboxEntry(event_id, ev.TYPE, ev.VERSION, payload, wall, lease))
    return verdict


def _token(unit: WorkUnit | None, line_id: str | None) -> int | None:
    if unit is None or line_id is None:
        return None
    try:
        return unit.line(line_id).lease.token
    except KeyError:
        return None


def accepted(code: str, message: str, expect: Expect, events: tuple[Event, ...] = ()) -> Verdict:
    """An accepted action outside any work unit (sign-in, claim); refusals: `app.domain.picking.refuse`."""
    text = message if expect.prompt in message else f"{message} Next: {expect.prompt}"
    return Verdict(True, code, text, expect, events)


BADGE = Expect(ExpectKind.BADGE, "Scan your badge to sign in.")
NO_WORK = Expect(ExpectKind.WORK, "No work on this station yet: claim work (press W or scan your badge).")
