"""Stations and replicas: who may speak for which station (S11), registration (S12), and the gap-free
per-station change log that pull cursors read (S7).

A station credential is a token with role `station` whose name is the station id (`aisle token create
--role station --name ST01`); admin tokens may act for any station.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.server.access.auth import Principal, Role
from app.server.db.base import utcnow
from app.server.errors import ApiError
from app.server.stations.models import Replica, ServerIdentity, Station, StationChange


def authorize_station(principal: Principal, station_id: str) -> None:
    """403 unless the credential belongs to `station_id` (or is an admin's)."""
    if principal.role is Role.ADMIN:
        return
    if principal.role is Role.STATION and principal.name == station_id:
        return
    raise ApiError(
        403,
        "forbidden",
        f"This credential does not belong to station {station_id}; a station token is named after its "
        f"station (aisle token create --role station --name {station_id}). Nothing was recorded.",
        # what the station needs to say exactly what is wrong (sync.refused)
        token_role=principal.role.value,
        token_name=principal.name,
        station_id=station_id,
    )


def server_id(session: Session) -> str:
    """This server database's identity (made with the database; docs/sync.md, "Identities")."""
    row = session.get(ServerIdentity, 1)
    if row is None:
        raise RuntimeError("the server_identity row is missing: run `aisle server migrate`")
    return row.server_id


def check_server(session: Session, believed: str | None) -> str:
    """This server's id; 409 wrong_server when the station's database belongs to `believed`, another one.

    Nothing is registered then: a station database filled by one server never mixes with another's.
    """
    mine = server_id(session)
    if believed is not None and believed != mine:
        raise ApiError(
            409,
            "wrong_server",
            f"This station's database belongs to server {believed}, not to this server ({mine}). Nothing "
            "was registered: the station sets that database aside and starts a new one.",
            server_id=mine,
        )
    return mine


def ensure_station(session: Session, station_id: str) -> Station:
    """The station row, created on first contact (its credential already proves it was provisioned)."""
    station = session.get(Station, station_id)
    if station is None:
        station = Station(
            station_id=station_id, epoch=secrets.token_hex(8), change_seq=0, compacted_through=0
        )
        session.add(station)
        session.flush()
    return station


def register_replica(session: Session, station_id: str, replica_id: str, app_version: str) -> Replica:
    """Create the replica (idempotent); a replica of another station is refused."""
    station = ensure_station(session, station_id)
    station.app_version = app_version
    replica = session.scalars(
        select(Replica).where(Replica.replica_id == replica_id).with_for_update()
    ).first()
    if replica is None:
        replica = Replica(replica_id=replica_id, station_id=station_id, last_seq=0, created_at=utcnow())
        session.add(replica)
        session.flush()
    elif replica.station_id != station_id:
        raise ApiError(
            403,
            "forbidden",
            f"Replica {replica_id} belongs to station {replica.station_id}, not {station_id}.",
            replica_station=replica.station_id,
            station_id=station_id,
        )
    return replica


def unknown_replica(replica_id: str) -> ApiError:
    """The explicit answer for a replica the server does not know (S12): keep the outbox and register."""
    return ApiError(
        409,
        "unknown_replica",
        f"Replica {replica_id} is not registered here: register it (POST /api/v1/sync/register) and push "
        "again. Keep the outbox; never wipe it.",
        replica_id=replica_id,
    )


def load_replica(session: Session, station_id: str, replica_id: str, *, lock: bool) -> Replica:
    """The replica, row-locked when `lock` (S3); 409 unknown_replica or 403 when it is another station's."""
    stmt = select(Replica).where(Replica.replica_id == replica_id)
    replica = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if replica is None:
        raise unknown_replica(replica_id)
    if replica.station_id != station_id:
        raise ApiError(
            403,
            "forbidden",
            f"Replica {replica_id} belongs to station {replica.station_id}, not {station_id}. "
            "Nothing was recorded.",
            replica_station=replica.station_id,
            station_id=station_id,
        )
    return replica


def append_changes(session: Session, station_id: str, changes: Sequence[tuple[str, dict[str, Any]]]) -> int:
    """Append changes to a station's pull log; numbers come from the station row, locked until COMMIT (S7).

    Returns the station's new change counter. A station never seen before gets its row first.
    """
    if not changes:
        return 0
    top = session.execute(
        update(Station)
        .where(Station.station_id == station_id)
        .values(change_seq=Station.change_seq + len(changes))
        .returning(Station.change_seq)
    ).scalar()
    if top is None:
        ensure_station(session, station_id)
        return append_changes(session, station_id, changes)
    first = top - len(changes) + 1
    now = utcnow()
    session.execute(
        insert(StationChange),
        [
            {"station_id": station_id, "change_seq": first + i, "kind": kind, "payload": payload, "at": now}
            for i, (kind, payload) in enumerate(changes)
        ],
    )
    return int(top)


def last_contact(station: Station) -> datetime | None:
    """The later of the last push and the last pull."""
    times = [t for t in (station.last_push_at, station.last_pull_at) if t is not None]
    return max(times) if times else None
