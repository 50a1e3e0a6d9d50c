"""/stations: every station's sync health and activity for the supervisor (SYNC.md S13)."""

from __future__ import annotations

from fastapi import APIRouter

from sync.server.clock import NowDep
from sync.server.deps import SessionDep, SettingsDep, SupervisorDep
from sync.server.schemas.work import StationsOut
from sync.server.services import floor_view
from sync.server.services.work import open_units

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
