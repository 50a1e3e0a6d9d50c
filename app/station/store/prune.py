"""Keeping a station's database bounded (docs/sync.md rule 2): what is acknowledged and older than
`[station] outbox_retention_hours` is deleted, in small transactions, and the freed pages go back to the disk.

What goes, and why nothing still needed does:
- outbox rows: only a prefix of the outbox, up to the first row that is unacknowledged or acknowledged within
  the retention (and never past `sync_state.acked_through`). The retained rows stay one contiguous run, so a
  re-send after a server restore either finds every row it needs or stops as `pruned` (sync.client).
- scan records: older than the retention *and* older than every retained outbox row. A scan's events carry
  the scan's own `wall` as `created_wall` (app/station/services/recording.py), so none of them is still here.
- closed work units (their lines cascade) and sealed pack orders no remaining scan names, unless the signed-in
  session is on them: their scans went first, so they are older than the retention as well.
- `retired_outbox` rows acknowledged before the cutoff; re-sent originals (`new_seq` set) stay as the audit
  trail of a re-key, and `retired_replicas` (one row per re-key) stays.

Each batch is one BEGIN IMMEDIATE transaction of at most `batch` rows: a scan arriving meanwhile waits for
the writer lock (busy_timeout) a few milliseconds at most, as it waits for a pull. The sync worker runs this
between its rounds (sync/worker.py), on the station's clock port.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, func, or_, select

from app.domain.packing import PackState
from app.domain.work import WorkState
from app.station.store import tables as t
from app.station.store.space import RECLAIM_MIN_PAGES, reclaim_free_pages

log = logging.getLogger("aisle.station")

BATCH_ROWS = 500
"""Rows deleted per transaction: a scan waits behind one batch at most."""


@dataclass
class Pruned:
    """What one pass deleted, by table, and whether rows older than the retention are left for the next."""

    counts: dict[str, int] = field(default_factory=dict)
    more: bool = False
    freed_pages: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class SqlPruner:
    """Deletes what is acknowledged and older than `retention_s` from the station database on `engine`."""

    def __init__(
        self,
        engine: Engine,
        retention_s: float,
        *,
        batch: int = BATCH_ROWS,
        max_batches: int = 40,
        reclaim_min_pages: int = RECLAIM_MIN_PAGES,
    ) -> None:
        self.engine, self.retention_s, self.batch, self.max_batches = engine, retention_s, batch, max_batches
        self.reclaim_min_pages = reclaim_min_pages

    def run(self, now: float) -> Pruned:
        """One pass at station wall time `now` (the clock port's): at most `max_batches` transactions, so the
        sync thread is back to syncing soon; `more` says another pass has rows to delete."""
        cutoff = now - self.retention_s
        done = Pruned()
        steps = (
            ("outbox", self._outbox),
            ("scans", self._scans),
            ("work_units", self._work_units),
            ("pack_orders", self._pack_orders),
            ("retired_outbox", self._retired),
        )
        budget = self.max_batches
        for name, step in steps:
            while budget > 0:
                budget -= 1
                with self.engine.begin() as conn:
                    n = step(conn, cutoff)
                done.counts[name] = done.counts.get(name, 0) + n
                if n < self.batch:
                    break
            else:
                done.more = True
                break
        if done.total:
            done.freed_pages = reclaim_free_pages(self.engine, self.reclaim_min_pages)
            log.info("pruned %s (older than %.0f h)", done.counts, self.retention_s / 3600)
        return done

    def _outbox(self, conn: Connection, cutoff: float) -> int:
        o = t.outbox.c
        keep = select(func.min(o.seq)).where(
            or_(o.acked.is_(False), o.acked_at.is_(None), o.acked_at >= cutoff)
        )
        keep_from = conn.execute(keep).scalar()
        acked_through = int(conn.execute(select(t.sync_state.c.acked_through)).scalar() or 0)
        bound = acked_through + 1 if keep_from is None else min(int(keep_from), acked_through + 1)
        victims = select(o.seq).where(o.seq < bound).order_by(o.seq).limit(self.batch)
        return _rows(conn.execute(delete(t.outbox).where(o.seq.in_(victims.scalar_subquery()))).rowcount)

    def _scans(self, conn: Connection, cutoff: float) -> int:
        oldest_event = conn.execute(select(func.min(t.outbox.c.created_wall))).scalar()
        limit = cutoff if oldest_event is None else min(cutoff, float(oldest_event))
        s = t.scans.c
        victims = select(s.id).where(s.wall < limit).order_by(s.id).limit(self.batch)
        return _rows(conn.execute(delete(t.scans).where(s.id.in_(victims.scalar_subquery()))).rowcount)

    def _work_units(self, conn: Connection, _cutoff: float) -> int:
        u, s = t.work_units.c, t.scans.c
        named = select(s.work_id).where(s.work_id.is_not(None))
        q = select(u.work_id).where(u.state == WorkState.CLOSED.value, u.work_id.not_in(named))
        session = select(t.station_session.c.work_id).where(t.station_session.c.work_id.is_not(None))
        victims = q.where(u.work_id.not_in(session)).limit(self.batch)
        return _rows(
            conn.execute(delete(t.work_units).where(u.work_id.in_(victims.scalar_subquery()))).rowcount
        )

    def _pack_orders(self, conn: Connection, _cutoff: float) -> int:
        p, s = t.pack_orders.c, t.scans.c
        named = select(s.order_id).where(s.order_id.is_not(None))
        q = select(p.order_id).where(p.state == PackState.SEALED.value, p.order_id.not_in(named))
        session = select(t.station_session.c.pack_order_id).where(
            t.station_session.c.pack_order_id.is_not(None)
        )
        victims = q.where(p.order_id.not_in(session)).limit(self.batch)
        return _rows(
            conn.execute(delete(t.pack_orders).where(p.order_id.in_(victims.scalar_subquery()))).rowcount
        )

    def _retired(self, conn: Connection, cutoff: float) -> int:
        r = t.retired_outbox.c
        victims = (
            select(r.replica_id, r.seq)
            .where(r.acked.is_(True), r.acked_at < cutoff, r.new_seq.is_(None))
            .limit(self.batch)
        )
        rows = conn.execute(victims).all()
        for replica_id, seq in rows:
            conn.execute(delete(t.retired_outbox).where(r.replica_id == replica_id, r.seq == seq))
        return len(rows)


def _rows(n: int | None) -> int:
    return int(n or 0)
