"""/work and /leases: release orders to the floor, claims by stations, the work list, revokes, priorities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from app.domain.batching import BatchLimits
from app.domain.work import LineStatus, WorkUnitStatus
from app.server.api.deps import DbDep, ManagerDep, SessionDep, SettingsDep, StationDep, SupervisorDep
from app.server.api.views import order_out
from app.server.clock import NowDep
from app.server.db.tx import run_write
from app.server.stations.registry import authorize_station
from app.server.work import claims, floor_view, pack_claims
from app.server.work import release as work_service
from app.server.work.schemas import (
    PackRevokeOut,
    PriorityIn,
    ReleasedUnit,
    ReleaseIn,
    ReleaseOut,
    RevokeIn,
    RevokeOut,
    WorkUnitOut,
)
from sync import schemas as w
from sync.ingest import leases

#: stations send JSON bodies without a Content-Type header (sync.client posts `content=`)
router = APIRouter(tags=["work"], strict_content_type=False)


def _limits(request: Request) -> BatchLimits:
    b = request.app.state.batching
    return BatchLimits(b.max_orders, b.max_lines, b.max_weight_g, b.small_order_max_lines)


@router.post("/work/release", response_model=ReleaseOut)
def release(body: ReleaseIn, request: Request, db: DbDep, caller: SupervisorDep) -> ReleaseOut:
    """Release accepted orders as work units (single orders, or cluster batches per [batching])."""
    limits = _limits(request)

    def work(session: Session) -> ReleaseOut:
        done = work_service.release(
            session, limits, actor=caller.actor, limit=body.limit, order_ids=body.order_ids
        )
        units = [ReleasedUnit(work_id=u, kind=k, orders=o) for u, k, o in done.units]
        return ReleaseOut(released=len(done.order_ids), work_units=units)

    return run_write(db, work)


@router.post("/work/claim", response_model=w.ClaimResponse)
def claim(
    body: w.ClaimRequest, db: DbDep, settings: SettingsDep, caller: StationDep, now: NowDep
) -> w.ClaimResponse:
    """The next work unit for this station, its lines leased with fresh tokens; work=None when none waits.

    `max_lines` asks for a unit with at most that many lines; when none that small waits, the smallest one."""
    authorize_station(caller, body.station_id)

    def work(session: Session) -> w.ClaimResponse:
        grant = claims.claim(
            session,
            body.station_id,
            body.operator,
            now,
            settings.lease_seconds,
            settings.lease_grace_seconds,
            body.max_lines,
        )
        return w.ClaimResponse(work=grant, server_now=now)

    return run_write(db, work)


@router.post("/work/pack", response_model=w.PackClaimResponse)
@router.post("/work/pack-claim", response_model=w.PackClaimResponse, include_in_schema=False)
def pack_claim(
    body: w.PackClaimRequest, db: DbDep, settings: SettingsDep, caller: StationDep, now: NowDep
) -> w.PackClaimResponse:
    """The picked order behind a tote or order label, held for this bench alone; order=None with a reason
    if not (for example: it is being packed at another station)."""
    authorize_station(caller, body.station_id)
    hold_s = settings.lease_seconds + settings.lease_grace_seconds

    def work(session: Session) -> w.PackClaimResponse:
        grant, reason = pack_claims.pack_claim(session, body.station_id, body.label, now, hold_s)
        return w.PackClaimResponse(order=grant, server_now=now, reason=reason)

    return run_write(db, work)


@router.post("/work/pack/{order_id}/revoke", response_model=PackRevokeOut)
def revoke_pack(
    order_id: int, db: DbDep, caller: SupervisorDep, body: RevokeIn | None = None
) -> PackRevokeOut:
    """Take an order away from the bench packing it, so another bench may claim it; 409 if none holds it."""
    reason = (body or RevokeIn()).reason

    def work(session: Session) -> PackRevokeOut:
        stations = pack_claims.revoke_pack(
            session, order_id, f"{reason} ({caller.actor})", actor=caller.actor
        )
        return PackRevokeOut(order_id=order_id, stations=stations)

    return run_write(db, work)


@router.get("/work", response_model=list[WorkUnitOut])
def list_work(
    session: SessionDep,
    settings: SettingsDep,
    _caller: SupervisorDep,
    now: NowDep,
    status: Annotated[list[str] | None, Query(description="open, active, done")] = None,
    station_id: str | None = None,
    held: bool | None = Query(None, description="true: only units with leased lines; false: only without"),
    limit: int = Query(100, ge=1),
) -> list[WorkUnitOut]:
    """Work units with every line's lease: holder (and whether it is online), token, since, expires."""
    return floor_view.work_units(
        session,
        now,
        settings.station_online_seconds,
        status=status,
        station_id=station_id,
        held=held,
        limit=min(limit, settings.page_size_max),
    )


@router.post("/leases/{line_id}/revoke", response_model=RevokeOut)
def revoke_line(
    line_id: int, db: DbDep, caller: SupervisorDep, now: NowDep, body: RevokeIn | None = None
) -> RevokeOut:
    """Take a line back from its holder, online or not: a new token fences out its old picks (S8, S9)."""
    reason = (body or RevokeIn()).reason

    def work(session: Session) -> RevokeOut:
        line = leases.revoke_line(session, line_id, f"{reason} ({caller.actor})", now)
        return RevokeOut(revoked=1, lines=[floor_view.line_out(line)])

    return run_write(db, work)


@router.post("/work/{work_id}/revoke", response_model=RevokeOut)
def revoke_unit(
    work_id: int, db: DbDep, caller: SupervisorDep, now: NowDep, body: RevokeIn | None = None
) -> RevokeOut:
    """Take every held line of a work unit back; the unit goes back to the queue."""
    reason = (body or RevokeIn()).reason

    def work(session: Session) -> RevokeOut:
        unit, lines = leases.lock_unit(session, work_id)
        n = leases.revoke(session, lines, f"{reason} ({caller.actor})", now)
        if unit.status == WorkUnitStatus.ACTIVE and any(ln.status == LineStatus.OPEN for ln in lines):
            unit.status = WorkUnitStatus.OPEN.value
        return RevokeOut(revoked=n, lines=[floor_view.line_out(ln) for ln in lines])

    return run_write(db, work)


@router.post("/orders/{order_id}/priority", tags=["orders"])
def reprioritise(order_id: int, body: PriorityIn, db: DbDep, caller: ManagerDep) -> object:
    """Change an order's priority; its waiting work moves up or down the claim queue with it."""
    return run_write(
        db, lambda s: order_out(work_service.set_priority(s, order_id, body.priority, actor=caller.actor))
    )
