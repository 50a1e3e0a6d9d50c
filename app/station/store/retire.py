"""Retiring the station's replica after a restore from an old copy (sync.rekey), in the caller's transaction.

The retired replica is kept in `retired_replicas` with why and when; every row of its outbox is copied, as it
was, to `retired_outbox`. Unacknowledged rows become seqs 1..N of the new replica in their original order,
with the same event_id, type, version, lease, payload, created_wall and so the same sha256; acknowledged rows
are on the server already and stay only in the archive. The `outbox` table keeps holding one replica's rows,
so every outbox query stays as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, case, delete, func, insert, literal, select, update

from app.station.store import tables as t
from sync import schemas as w
from sync.rekey import Rekeyed

_CONTENT = ("event_id", "type", "v", "lease_line_id", "lease_token", "payload", "created_wall", "sha256")
_STATE = ("acked", "acked_at", "outcome", "outcome_reason")


def rekey(conn: Connection, reason: str, detail: str, at: float) -> Rekeyed:
    """Retire the current replica and move its unacknowledged events to a new one (call inside one
    transaction). A replica that came from an earlier re-key may be retired too: a copy restored after a
    re-key needs it (sync.client re-keys once per run: a cure that does not work stops for a person)."""
    rep = conn.execute(select(t.replica).where(t.replica.c.id == 1)).mappings().one()
    acked = int(conn.execute(select(t.sync_state.c.acked_through)).scalar_one())
    old, new = str(rep["replica_id"]), str(uuid.uuid4())
    _archive(conn, old)
    resent = _requeue(conn, old)
    done = Rekeyed(old, new, reason, int(rep["next_seq"]) - 1, acked, resent)
    conn.execute(
        insert(t.retired_replicas).values(
            replica_id=old,
            created_wall=rep["created_wall"],
            retired_wall=at,
            reason=reason,
            detail=detail[:1000],
            last_seq=done.last_seq,
            acked_through=acked,
            resent=resent,
            successor=new,
        )
    )
    conn.execute(
        update(t.replica)
        .where(t.replica.c.id == 1)
        .values(replica_id=new, created_wall=at, next_seq=resent + 1)
    )
    conn.execute(update(t.sync_state).values(acked_through=0, status="rekeyed", detail=done.notice()))
    return done


def _archive(conn: Connection, old: str) -> None:
    """Copy every outbox row to the archive; number the unacknowledged ones 1..N in seq order."""
    o = t.outbox.c
    new_seq = case(
        (o.acked.is_(False), func.row_number().over(partition_by=o.acked, order_by=o.seq)), else_=None
    )
    cols = ("replica_id", "seq", *_CONTENT, *_STATE, "new_seq")
    rows = select(literal(old), o.seq, *(o[c] for c in _CONTENT + _STATE), new_seq)
    conn.execute(insert(t.retired_outbox).from_select(cols, rows))


def _requeue(conn: Connection, old: str) -> int:
    """Replace the outbox by the unacknowledged events under their new seqs; returns how many."""
    conn.execute(delete(t.outbox))
    r = t.retired_outbox.c
    rows = select(r.new_seq, *(r[c] for c in _CONTENT), literal(False)).where(
        r.replica_id == old, r.new_seq.is_not(None)
    )
    conn.execute(insert(t.outbox).from_select(("seq", *_CONTENT, "acked"), rows))
    return int(conn.execute(select(func.count()).select_from(t.outbox)).scalar_one())


def predecessor(conn: Connection, replica_id: str) -> w.RetiredReplica | None:
    """The replica that `replica_id` took over from by a re-key, as the station tells the server."""
    r = t.retired_replicas.c
    row = conn.execute(
        select(r.replica_id, r.reason, r.last_seq, r.resent)
        .where(r.successor == replica_id)
        .order_by(r.retired_wall.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return w.RetiredReplica(replica_id=row[0], reason=row[1], last_seq=row[2], resent=row[3])


def resent_seqs(conn: Connection, seqs: Sequence[int]) -> set[int]:
    """Which of these outbox seqs hold an event sent again after a re-key (it is in the archive)."""
    if not seqs:
        return set()
    re_sent = select(t.retired_outbox.c.event_id).where(t.retired_outbox.c.new_seq.is_not(None))
    q = select(t.outbox.c.seq).where(t.outbox.c.seq.in_(seqs), t.outbox.c.event_id.in_(re_sent))
    return set(conn.execute(q).scalars())
