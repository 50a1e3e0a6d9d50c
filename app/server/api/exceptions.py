"""/exceptions: the supervisor's queue of shorts, wrong-item streaks, weight mismatches and sync conflicts."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from app.server.api.deps import DbDep, SessionDep, SettingsDep, SupervisorDep
from app.server.db.tx import run_write
from app.server.work import floor_view
from app.server.work.models import FloorException
from app.server.work.schemas import ExceptionOut, ExceptionPage

router = APIRouter(prefix="/exceptions", tags=["exceptions"])


@router.get("", response_model=ExceptionPage)
def list_exceptions(
    session: SessionDep,
    settings: SettingsDep,
    _caller: SupervisorDep,
    open: bool = Query(True, description="only those not acknowledged yet"),
    kind: str | None = None,
    station_id: str | None = None,
    limit: int = Query(100, ge=1),
) -> ExceptionPage:
    """Exceptions, newest first."""
    stmt = select(FloorException).order_by(FloorException.id.desc()).limit(min(limit, settings.page_size_max))
    if open:
        stmt = stmt.where(FloorException.acknowledged.is_(False))
    if kind:
        stmt = stmt.where(FloorException.kind == kind)
    if station_id:
        stmt = stmt.where(FloorException.station_id == station_id)
    total = session.scalar(
        select(func.count()).select_from(FloorException).where(FloorException.acknowledged.is_(False))
    )
    return ExceptionPage(
        items=[floor_view.exception_out(e) for e in session.scalars(stmt)], open_total=total or 0
    )


@router.post("/{exception_id}/ack", response_model=ExceptionOut)
def acknowledge(exception_id: int, db: DbDep, caller: SupervisorDep) -> ExceptionOut:
    """Mark an exception as handled (repeating it changes nothing)."""
    return run_write(
        db, lambda s: floor_view.exception_out(floor_view.acknowledge(s, exception_id, caller.actor))
    )
