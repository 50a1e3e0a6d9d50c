"""The server's log of pushed events: one sync_events row per new event, with its outcome (docs/sync.md S1:
in the same transaction as its effects), stored as it came so a re-sent event is compared by its digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.server.stations.models import SyncEvent
from sync import schemas as w
from sync.ingest.bulk import JsonText, insert_tuples
from sync.ingest.effects import Outcome


def _stored_event_id(e: w.PushEvent, o: Outcome, replica_id: str) -> str:
    """The event id as stored: a duplicate's own id is taken in the unique index, so it gets its own."""
    if o.reason and o.reason.startswith("duplicate_event"):
        return f"dup:{replica_id[:8]}:{e.seq}:{e.event_id}"[:64]
    return e.event_id


_EVENT_COLUMNS = (
    "replica_id",
    "seq",
    "event_id",
    "station_id",
    "type",
    "v",
    "lease_line_id",
    "lease_token",
    "payload",
    "created_wall",
    "sha256",
    "outcome",
    "reason",
    "applied_at",
)


def record_events(
    session: Session,
    req: w.PushRequest,
    fresh: Sequence[w.PushEvent],
    outcomes: Sequence[Outcome],
    payloads: dict[int, JsonText],
    now: float,
) -> None:
    """One sync_events row per new event, with its outcome (S1: in the same transaction as the effects)."""
    applied = datetime.fromtimestamp(now, UTC)
    replica_id, station_id = req.replica_id, req.station_id
    rows = [
        (
            replica_id,
            e.seq,
            _stored_event_id(e, o, replica_id),
            station_id,
            e.type,
            e.v,
            e.lease.line_id if e.lease else None,
            e.lease.token if e.lease else None,
            payloads[e.seq],
            e.created_wall,
            e.sha256,
            o.outcome,
            (o.reason or None) and o.reason[:500],
            applied,
        )
        for e, o in zip(fresh, outcomes, strict=True)
    ]
    insert_tuples(session, SyncEvent, _EVENT_COLUMNS, rows)
