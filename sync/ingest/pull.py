"""Pull (docs/sync.md S6, S7, S9): acknowledgements, leases and changes read in one snapshot, leases renewed.

A cursor is `<epoch>.<station change>.<reference change>`: positions in the station's own gap-free change log
and in the shared reference-data log. A cursor from another epoch, beyond either log, or older than what was
compacted away is unknown: the answer is then a reset with a full snapshot and a fresh cursor.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.server.catalogue.refdata import changes_since, ref_position, snapshot_reference
from app.server.stations.models import Station, StationChange
from app.server.stations.registry import load_replica, server_id
from app.server.work.claims import held_work
from app.server.work.models import WorkLine
from sync import schemas as w
from sync.ingest.leases import renew

_CHANGE: TypeAdapter[Any] = TypeAdapter(w.Change)


def format_cursor(epoch: str, change: int, ref: int) -> str:
    return f"{epoch}.{change}.{ref}"


def parse_cursor(cursor: str | None, station: Station, ref_now: int) -> tuple[int, int] | None:
    """(station change, reference change) of a cursor this server can continue from, else None (reset)."""
    if not cursor:
        return None
    parts = cursor.split(".")
    if len(parts) != 3 or parts[0] != station.epoch or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    change, ref = int(parts[1]), int(parts[2])
    if change > station.change_seq or change < station.compacted_through or ref > ref_now:
        return None
    return change, ref


def _renewals(lines: list[WorkLine]) -> list[w.LeaseRenewed]:
    return [
        w.LeaseRenewed(line_id=str(ln.id), token=ln.lease_token or 0, expires_at=ln.expires_at.timestamp())
        for ln in lines
        if ln.expires_at is not None
    ]


def pull(
    session: Session,
    station_id: str,
    replica_id: str,
    cursor: str | None,
    now: float,
    *,
    lease_s: float,
    max_changes: int = 1000,
) -> w.PullResponse:
    """Everything the station should know since `cursor`, in the caller's (snapshot) transaction."""
    replica = load_replica(session, station_id, replica_id, lock=False)
    station = session.get_one(Station, station_id)
    held = renew(session, station_id, now, lease_s)
    ref_now = ref_position(session)
    position = parse_cursor(cursor, station, ref_now)
    if position is None:
        products, locations, operators = snapshot_reference(session)
        snapshot = w.Snapshot(
            products=products,
            locations=locations,
            operators=operators,
            work=held_work(session, station_id, held),
        )
        return w.PullResponse(
            cursor=format_cursor(station.epoch, station.change_seq, ref_now),
            acked_through=replica.last_seq,
            server_now=now,
            reset=True,
            snapshot=snapshot,
            server_id=server_id(session),
        )
    change, ref = position
    rows = session.execute(
        select(StationChange.change_seq, StationChange.payload)
        .where(StationChange.station_id == station_id, StationChange.change_seq > change)
        .order_by(StationChange.change_seq)
        .limit(max_changes + 1)
    ).all()
    more = len(rows) > max_changes
    rows = rows[:max_changes]
    changes: list[Any] = [_CHANGE.validate_python(payload) for _seq, payload in rows]
    if rows:
        change = int(rows[-1][0])
    ref_changes, ref, more_ref = changes_since(session, ref, max_changes)
    changes += ref_changes
    changes += _renewals(held)
    return w.PullResponse(
        cursor=format_cursor(station.epoch, change, ref),
        acked_through=replica.last_seq,
        server_now=now,
        changes=changes,
        more=more or more_ref,
        server_id=server_id(session),
    )


def note_pull(
    session: Session, station_id: str, cursor: str, now: float, station_wall: float | None, retention: int
) -> None:
    """After a pull: remember when and where the station is, and compact its log past `retention` changes."""
    station = session.get(Station, station_id, with_for_update=True)
    if station is None:
        return
    station.last_pull_at, station.last_cursor = datetime.fromtimestamp(now, UTC), cursor[:100]
    if station_wall is not None:
        station.clock_offset_s = round(station_wall - now, 3)
    keep_from = station.change_seq - retention
    if keep_from > station.compacted_through + max(100, retention // 10):
        session.execute(
            delete(StationChange).where(
                StationChange.station_id == station_id, StationChange.change_seq <= keep_from
            )
        )
        station.compacted_through = keep_from
