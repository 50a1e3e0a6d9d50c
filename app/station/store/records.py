"""Scan records, the outbox (seq assigned in the caller's transaction) and the persisted station session."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import Connection, insert, select, update

from app.station.services.ports import OutboxEntry, ScanRecord, StationSession
from app.station.store import tables as t
from sync.schemas import event_sha256

_NEXT_SEQ = (
    update(t.replica)
    .where(t.replica.c.id == 1)
    .values(next_seq=t.replica.c.next_seq + 1)
    .returning(t.replica.c.next_seq)
)
_INS_SCAN = insert(t.scans)
_INS_OUTBOX = insert(t.outbox)
_SEL_SESSION = select(t.station_session).where(t.station_session.c.id == 1)
_UPD_SESSION = update(t.station_session).where(t.station_session.c.id == 1)


class SqlScanLog:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, record: ScanRecord) -> None:
        self.conn.execute(_INS_SCAN, asdict(record))


class SqlOutbox:
    """Appends events with the replica's next seq: 1, 2, 3 … with no gaps, in the same transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, entry: OutboxEntry) -> int:
        # BEGIN IMMEDIATE holds the write lock, so read-then-increment cannot interleave with another writer.
        seq = self.conn.execute(_NEXT_SEQ).scalar_one() - 1
        digest = event_sha256(
            entry.event_id, entry.type, entry.v, entry.lease, entry.payload, entry.created_wall
        )
        self.conn.execute(
            _INS_OUTBOX,
            dict(
                seq=seq,
                event_id=entry.event_id,
                type=entry.type,
                v=entry.v,
                lease_line_id=entry.lease[0] if entry.lease else None,
                lease_token=entry.lease[1] if entry.lease else None,
                payload=json.dumps(entry.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                created_wall=entry.created_wall,
                sha256=digest,
                acked=False,
            ),
        )
        return int(seq)


class SqlSession:
    """The one-row station session: who is signed in and on which work (restart resumes from it)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self) -> StationSession:
        r = self.conn.execute(_SEL_SESSION).mappings().one()
        return StationSession(r["operator"], r["operator_name"], r["role"], r["work_id"], r["pack_order_id"])

    def save(self, session: StationSession) -> None:
        self.conn.execute(_UPD_SESSION, asdict(session))
