"""The station database as the sync client sees it: outbox reads and acks, pull application, sync state."""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, func, select, update

from app.domain.work import LineStatus
from app.station.services.clock import lease_deadline
from app.station.services.sync_ports import OutboxRow
from app.station.store import tables as t
from app.station.store.catalogue import SqlCatalogue, SqlOperators
from app.station.store.db import current_boot_id, read_connection
from app.station.store.retire import predecessor, rekey, resent_seqs
from app.station.store.set_aside import set_aside
from app.station.store.work_repo import SqlWorkRepository
from sync import convert
from sync import schemas as w
from sync.identity import SetAside
from sync.rekey import Rekeyed, is_duplicate, station_outcome

log = logging.getLogger("aisle.sync")


class SqlSyncStore:
    """Implements app.station.services.sync_ports.SyncStore on the station's SQLite file."""

    def __init__(self, engine: Engine, boot_id: str | None = None) -> None:
        self.engine = engine
        self.boot_id = boot_id or current_boot_id()
        self._replica: str | None = None
        self._server: str | None = None  # the server this database belongs to, once read or heard
        self._pull_noted = False  # this run noted its first pull attempt (or the data is loaded)

    def _read(self) -> Connection:
        # Status and outbox reads run on every status-bar refresh and every headless scan: a deferred BEGIN
        # keeps them from queueing behind (or blocking) a scan's commit or a long snapshot apply.
        return read_connection(self.engine)

    def replica_id(self) -> str:
        if self._replica is None:
            with self._read() as conn:
                self._replica = str(conn.execute(select(t.replica.c.replica_id)).scalar_one())
        return self._replica

    def server_id(self) -> str | None:
        """The server this database belongs to (None until one answered with its id)."""
        if self._server is None:
            self._server = _str(self._scalar(select(t.sync_state.c.server_id)))
        return self._server

    def adopt_server(self, server_id: str) -> None:
        """This database belongs to `server_id` from now on (kept when it already belongs to one)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(t.sync_state).where(t.sync_state.c.server_id.is_(None)).values(server_id=server_id)
            )
        self._server = None

    def set_aside(self, old_server: str, new_server: str, at: float) -> SetAside:
        """Copy this database (of `old_server`) aside whole and start clean with a new replica."""
        done = set_aside(self.engine, old_server, new_server, at)
        self._replica, self._server, self._pull_noted = None, None, False
        return done

    def note_pull_attempt(self, at: float) -> None:
        """Remember when this station first tried to pull, while its reference data is not loaded."""
        if self._pull_noted:
            return
        with self.engine.begin() as conn:
            s = t.sync_state.c
            q = update(t.sync_state).where(s.first_pull_wall.is_(None), s.reference_loaded.is_(False))
            conn.execute(q.values(first_pull_wall=at))
        self._pull_noted = True

    def events_from(self, seq: int, limit: int) -> list[OutboxRow]:
        q = select(t.outbox).where(t.outbox.c.seq >= seq).order_by(t.outbox.c.seq).limit(limit)
        with self._read() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            OutboxRow(r["seq"], r["event_id"], r["type"], r["v"],
                      (r["lease_line_id"], r["lease_token"]) if r["lease_line_id"] else None,
                      json.loads(r["payload"]), r["created_wall"], r["sha256"])
            for r in rows
        ]  # fmt: skip

    def _scalar(self, q: Select[tuple[Any]]) -> Any:
        """The one value a one-column query returns (None without a row); callers say its type."""
        with self._read() as conn:
            return conn.execute(q).scalar()

    def first_unacked_seq(self) -> int | None:
        return _int(self._scalar(select(func.min(t.outbox.c.seq)).where(t.outbox.c.acked.is_(False))))

    def oldest_retained_seq(self) -> int | None:
        return _int(self._scalar(select(func.min(t.outbox.c.seq))))

    def last_seq(self) -> int:
        return int(self._scalar(select(t.replica.c.next_seq)) or 1) - 1

    def depth(self) -> int:
        return int(self._scalar(select(func.count()).where(t.outbox.c.acked.is_(False))) or 0)

    def oldest_unacked_wall(self) -> float | None:
        wall = self._scalar(select(func.min(t.outbox.c.created_wall)).where(t.outbox.c.acked.is_(False)))
        return None if wall is None else float(wall)

    def cursor(self) -> str | None:
        cursor = self._scalar(select(t.sync_state.c.cursor))
        return None if cursor is None else str(cursor)

    def acked_through(self) -> int:
        return int(self._scalar(select(t.sync_state.c.acked_through)) or 0)

    def mark_acked(self, through: int, at: float, *, first: int = 1) -> int:
        with self.engine.begin() as conn:
            q = update(t.outbox).where(
                t.outbox.c.seq >= first, t.outbox.c.seq <= through, t.outbox.c.acked.is_(False)
            )
            n = conn.execute(q.values(acked=True, acked_at=at)).rowcount
            conn.execute(
                update(t.sync_state).values(acked_through=func.max(t.sync_state.c.acked_through, through))
            )
        return int(n)

    def record_outcomes(self, results: list[w.PushResult]) -> None:
        odd = [r for r in results if r.outcome != "accepted"]
        if not odd:
            return
        with self.engine.begin() as conn:
            resent = resent_seqs(conn, [r.seq for r in odd if is_duplicate(r.outcome, r.reason)])
            for r in odd:
                q = update(t.outbox).where(t.outbox.c.seq == r.seq)
                _set_outcome(conn, q, r.outcome, r.reason, resent=r.seq in resent)

    def rekey(self, reason: str, detail: str, at: float) -> Rekeyed:
        """Retire this replica and move its unacknowledged events to a new one, in one transaction."""
        with self.engine.begin() as conn:
            done = rekey(conn, reason, detail, at)
        self._replica = None
        return done

    def predecessor(self) -> w.RetiredReplica | None:
        """The replica this one took over from by a re-key (None for a database's first replica)."""
        with self._read() as conn:
            return predecessor(conn, self.replica_id())

    def db_bytes(self) -> int | None:
        """The database file's size on disk with its -wal file (the supervisor sees it, S13)."""
        path = self.engine.url.database
        if not path or path == ":memory:":
            return None
        try:
            size = os.path.getsize(path)
        except OSError:
            return None
        try:
            return size + os.path.getsize(f"{path}-wal")
        except OSError:
            return size

    def set_status(self, *, online: bool, status: str, detail: str, clock_offset_s: float | None) -> None:
        with self.engine.begin() as conn:
            values: dict[str, object] = {"online": online, "status": status, "detail": detail}
            if clock_offset_s is not None:
                values["clock_offset_s"] = clock_offset_s
            conn.execute(update(t.sync_state).values(**values))

    def apply_pull(self, pull: w.PullResponse, *, boot_now: float, margin_s: float) -> None:
        with self.engine.begin() as conn:
            apply = _Apply(conn, self.boot_id, boot_now, pull.server_now, margin_s)
            if pull.reset and pull.snapshot is not None:
                apply.snapshot(pull.snapshot)
            for change in pull.changes:
                apply.change(change)
            values: dict[str, object] = {"cursor": pull.cursor, "last_pull_wall": time.time()}
            values["reference_loaded"] = True  # "unknown badge" is said only about data the station has
            conn.execute(update(t.sync_state).values(**values))
            if pull.server_id is not None:  # the first answer names the server this database belongs to
                s = t.sync_state.c
                q = update(t.sync_state).where(s.server_id.is_(None))
                conn.execute(q.values(server_id=pull.server_id))
        self._server = None


class _Apply:
    """Applies pulled changes inside one transaction."""

    def __init__(
        self, conn: Connection, boot_id: str, boot_now: float, server_now: float, margin: float
    ) -> None:
        self.conn, self.boot_id = conn, boot_id
        self.boot_now, self.server_now, self.margin = boot_now, server_now, margin
        self.catalogue, self.operators = SqlCatalogue(conn), SqlOperators(conn)

    def deadline(self, expires_at: float) -> float:
        return lease_deadline(self.boot_now, self.server_now, expires_at, self.margin)

    def grant(self, g: w.WorkGrant) -> None:
        claimed = convert.work(g, boot_now=self.boot_now, server_now=self.server_now, margin_s=self.margin)
        self.catalogue.upsert_products(claimed.products)
        self.catalogue.upsert_locations(claimed.locations)
        repo = SqlWorkRepository(self.conn, self.boot_id, time.time())
        if repo.get(g.work_id) is None:
            repo.add(claimed.unit)
            return
        for ln in g.lines:  # known work: renew (or re-token) leases, never reset progress
            self.renew(ln.line_id, ln.token, ln.expires_at, retoken=True)

    def renew(self, line_id: str, token: int, expires_at: float, retoken: bool = False) -> None:
        q = update(t.work_lines).where(t.work_lines.c.line_id == line_id)
        if not retoken:
            q = q.where(t.work_lines.c.lease_token == token)
        values = {
            "lease_token": token,
            "lease_deadline_boot": self.deadline(expires_at),
            "lease_boot_id": self.boot_id,
        }
        self.conn.execute(q.values(**values))

    def revoke(self, line_id: str, token: int) -> None:
        q = update(t.work_lines).where(
            t.work_lines.c.line_id == line_id,
            t.work_lines.c.lease_token == token,
            t.work_lines.c.status == LineStatus.OPEN.value,
        )
        self.conn.execute(q.values(status=LineStatus.REVOKED.value))

    def change(self, c: w.Change) -> None:
        match c:
            case w.LeaseGranted():
                self.grant(c.work)
            case w.LeaseRenewed():
                self.renew(c.line_id, c.token, c.expires_at)
            case w.LeaseRevoked():
                self.revoke(c.line_id, c.token)
            case w.EventOutcome():
                self.outcome(c)
            case w.ProductChanged():
                self.catalogue.upsert_products([convert.product(c.product)])
            case w.LocationChanged():
                self.catalogue.upsert_locations([convert.location(c.location)])
            case w.OperatorChanged():
                self.operators.upsert([convert.operator(c.operator)])
            case w.OperatorRemoved():
                self.operators.remove(c.badge)

    def outcome(self, c: w.EventOutcome) -> None:
        """By event_id when the server names it (seqs repeat across re-keyed replicas), else by seq."""
        seq: int | None = c.seq
        if c.event_id:
            seq = self.conn.execute(select(t.outbox.c.seq).where(t.outbox.c.event_id == c.event_id)).scalar()
        if seq is None:
            return  # not in this replica's outbox (pruned, or a retired replica's)
        resent = is_duplicate(c.outcome, c.reason) and bool(resent_seqs(self.conn, [seq]))
        q = update(t.outbox).where(t.outbox.c.seq == seq)
        _set_outcome(self.conn, q, c.outcome, c.reason, resent=resent)

    def snapshot(self, s: w.Snapshot) -> None:
        """A reset: reference data replaced, leases as the server has them, other open lines revoked."""
        self.catalogue.upsert_products([convert.product(p) for p in s.products])
        self.catalogue.upsert_locations([convert.location(x) for x in s.locations])
        self.conn.execute(delete(t.operators))
        self.operators.upsert([convert.operator(o) for o in s.operators])
        held = {(ln.line_id, ln.token) for g in s.work for ln in g.lines}
        for g in s.work:
            self.grant(g)
        q = select(t.work_lines.c.line_id, t.work_lines.c.lease_token).where(
            t.work_lines.c.status == LineStatus.OPEN.value
        )
        for line_id, token in self.conn.execute(q).all():
            if (line_id, token) not in held:
                self.revoke(line_id, token)


def _set_outcome(conn: Connection, q: Any, outcome: str, reason: str | None, *, resent: bool) -> None:
    """Store an outcome; a re-sent event the server already had is logged, not shown as a rejection."""
    kept = station_outcome(outcome, reason, resent=resent)
    if kept != outcome:
        log.info("re-sent event already on the server (nothing applied twice): %s", reason)
    conn.execute(q.values(outcome=kept, outcome_reason=reason))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    """A nullable integer column's value (MIN over no rows is NULL)."""
    return None if value is None else int(value)
