"""/locations: bulk upsert and listing in walking order."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.server.api.deps import CallerDep, DbDep, SessionDep, WriterDep
from app.server.api.views import location_out
from app.server.catalogue.models import Location
from app.server.catalogue.schemas import LocationIn, LocationOut, UpsertResult
from app.server.catalogue.upserts import upsert_locations
from app.server.db.tx import run_write
from app.server.errors import all_to_domain

router = APIRouter(prefix="/locations", tags=["locations"])


@router.post("", response_model=UpsertResult)
def put_locations(body: list[LocationIn], db: DbDep, _caller: WriterDep) -> UpsertResult:
    """Create or update locations by code."""
    domain = all_to_domain(body)
    created, updated = run_write(db, lambda s: upsert_locations(s, domain), retry_integrity=True)
    return UpsertResult(created=created, updated=updated)


@router.get("", response_model=list[LocationOut])
def list_locations(
    session: SessionDep,
    _caller: CallerDep,
    zone: str | None = None,
    limit: int = Query(500, ge=1, le=5000),
    offset: int = Query(0, ge=0),
) -> list[LocationOut]:
    """Locations in walking order, optionally of one zone."""
    stmt = select(Location).order_by(Location.sequence, Location.code).limit(limit).offset(offset)
    if zone:
        stmt = stmt.where(Location.zone == zone)
    return [location_out(loc) for loc in session.scalars(stmt)]
