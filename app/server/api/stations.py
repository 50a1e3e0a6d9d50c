"""/stations: every station's sync health and activity for the supervisor (docs/sync.md S13)."""

from __future__ import annotations

from fastapi import APIRouter

from app.server.api.deps import SessionDep, SettingsDep, SupervisorDep
from app.server.clock import NowDep
from app.server.work import floor_view
from app.server.work.release import open_units
from app.server.work.schemas import StationsOut

router = APIRouter(prefix="/stations", tags=["stations"])


@router.get("", response_model=StationsOut)
def list_stations(
    session: SessionDep, settings: SettingsDep, _caller: SupervisorDep, now: NowDep
) -> StationsOut:
    """Per station: online, last push/pull, cursor, last seq, reported outbox depth and oldest unsynced scan,
    app version, clock offset, open conflicts and exceptions, operator, order, leases held."""
    return StationsOut(
        stations=floor_view.stations(session, now, settings.station_online_seconds),
        open_work_units=open_units(session),
        server_now=floor_view.now_dt(now),
    )
