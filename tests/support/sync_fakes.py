"""An in-process fake of the server's sync endpoints, a faulty transport, and an in-memory outbox.

The fake server keeps docs/sync.md's contract with dicts: per-replica last_seq, dedupe by (replica, seq) with
a content digest, gap and reuse detection, atomic batches (S1, S2, S5, S12). It counts every applied effect,
so tests can check I1–I3 and I6. Like the real server it dedupes by event_id across replicas: an event_id
received before comes back `rejected_recorded` (duplicate_event) with no effect.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.station.services.sync_ports import OutboxRow
from sync import schemas as w
from sync.identity import SetAside
from sync.rekey import Rekeyed


@dataclass
class FakeSyncServer:
    last_seq: dict[str, int] = field(default_factory=dict)
    events: dict[tuple[str, int], str] = field(default_factory=dict)  # (replica, seq) -> sha256
    effects: list[tuple[str, int]] = field(default_factory=list)  # one entry per applied effect
    event_ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # event_id -> first (replica, seq)
    registered: list[w.RegisterRequest] = field(default_factory=list)
    cursor: int = 0
    now: float = 1_780_000_000.0

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/sync/register"):
            body = json.loads(request.content)
            self.registered.append(w.RegisterRequest.model_validate(body))
            self.last_seq.setdefault(body["replica_id"], 0)
            expected = self.last_seq[body["replica_id"]] + 1
            return httpx.Response(
                200,
                json={"replica_id": body["replica_id"], "expected_next": expected, "server_now": self.now},
            )
        if path.endswith("/sync/push"):
            return self.push(w.PushRequest.model_validate_json(request.content))
        if path.endswith("/sync/pull"):
            rid = request.url.params["replica_id"]
            if rid not in self.last_seq:
                return httpx.Response(409, json={"error": "unknown_replica", "replica_id": rid})
            self.cursor += 1
            return httpx.Response(
                200,
                json={
                    "cursor": str(self.cursor),
                    "acked_through": self.last_seq[rid],
                    "server_now": self.now,
                    "changes": [],
                },
            )
        return httpx.Response(404)

    def push(self, req: w.PushRequest) -> httpx.Response:
        rid = req.replica_id
        if rid not in self.last_seq:
            return httpx.Response(409, json={"error": "unknown_replica", "replica_id": rid})
        last = self.last_seq[rid]
        new: list[w.PushEvent] = []
        for ev in req.events:  # validate the whole batch first: nothing advances on an error
            if ev.seq <= last + len(new):
                known = self.events.get((rid, ev.seq))
                if known is None:
                    continue  # already applied in this batch
                if known != ev.sha256:
                    return httpx.Response(409, json={"error": "seq_reuse_mismatch", "seq": ev.seq})
            elif ev.seq == last + len(new) + 1:
                new.append(ev)
            else:
                return httpx.Response(409, json={"error": "gap", "expected_next": last + len(new) + 1})
        dup: set[int] = set()
        for ev in new:  # "commit": effect, event row and last_seq together
            self.events[(rid, ev.seq)] = ev.sha256
            if ev.event_id in self.event_ids:
                dup.add(ev.seq)
            else:
                self.event_ids[ev.event_id] = (rid, ev.seq)
                self.effects.append((rid, ev.seq))
        self.last_seq[rid] = last + len(new)
        results = [
            {"seq": ev.seq, "outcome": "rejected_recorded", "reason": "duplicate_event: seen before"}
            if ev.seq in dup
            else {"seq": ev.seq, "outcome": "accepted"}
            for ev in req.events
        ]
        return httpx.Response(
            200,
            json={
                "acked_through": self.last_seq[rid],
                "expected_next": self.last_seq[rid] + 1,
                "results": results,
                "server_now": self.now,
            },
        )

    def committed_through(self, rid: str) -> int:
        return self.last_seq.get(rid, 0)

    def backup(self) -> FakeSyncServer:
        return copy.deepcopy(self)

    def restore(self, backup: FakeSyncServer) -> None:
        """The server's database is restored from an older backup: effects after it are lost with it."""
        self.last_seq, self.events = copy.deepcopy(backup.last_seq), copy.deepcopy(backup.events)
        self.effects, self.event_ids = list(backup.effects), dict(backup.event_ids)


class FaultyTransport(httpx.BaseTransport):
    """Feeds requests to the fake server through a plan of faults, one per request."""

    FAULTS = ("drop", "lose_response", "duplicate", "error503", "delay")

    def __init__(self, server: FakeSyncServer) -> None:
        self.server = server
        self.inner = httpx.MockTransport(server.handle)
        self.plan: list[str] = []
        self.delayed: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        fault = self.plan.pop(0) if self.plan else "ok"
        if fault == "drop":
            raise httpx.ConnectError("request lost", request=request)
        if fault == "error503":
            return httpx.Response(503, json={"error": "unavailable"})
        if fault == "delay":  # arrives later, after the client gave up on it
            self.delayed.append(request)
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "lose_response":
            self.inner.handle_request(request)
            raise httpx.ReadTimeout("response lost after commit", request=request)
        if fault == "duplicate":
            self.inner.handle_request(request)
        return self.inner.handle_request(request)

    def deliver_delayed(self) -> None:
        if self.delayed:
            self.inner.handle_request(self.delayed.pop(0))


@dataclass
class MemorySyncStore:
    """An outbox in memory; `on_ack` checks every ack against the server (I6)."""

    server: FakeSyncServer
    rid: str = field(default_factory=lambda: str(uuid.uuid4()))
    rows: list[OutboxRow] = field(default_factory=list)
    acked: set[int] = field(default_factory=set)
    _cursor: str | None = None
    status: str = "ok"
    retired: list[tuple[Rekeyed, list[OutboxRow]]] = field(default_factory=list)  # with the rows it had
    outcomes: dict[int, str] = field(default_factory=dict)
    server_of: str | None = None  # the server this database belongs to
    aside: list[tuple[SetAside, list[OutboxRow]]] = field(default_factory=list)  # set aside, with their rows

    def append(self, n: int) -> None:
        for _ in range(n):
            seq = len(self.rows) + 1
            payload: dict[str, Any] = {"n": seq}
            eid = str(uuid.uuid4())
            digest = w.event_sha256(eid, "ItemPicked", 1, None, payload, 1.0)
            self.rows.append(OutboxRow(seq, eid, "ItemPicked", 1, None, payload, 1.0, digest))

    def replica_id(self) -> str:
        return self.rid

    def server_id(self) -> str | None:
        return self.server_of

    def adopt_server(self, server_id: str) -> None:
        self.server_of = self.server_of or server_id

    def set_aside(self, old_server: str, new_server: str, at: float) -> SetAside:
        moved = f"memory.server-{old_server}.bak"
        done = SetAside("memory", moved, old_server, new_server, self.depth(), self.rid, str(uuid.uuid4()))
        self.aside.append((done, self.rows))
        self.rid, self.rows, self.acked, self.outcomes = done.new_replica, [], set(), {}
        self.retired, self._cursor, self.server_of = [], None, new_server
        return done

    def note_pull_attempt(self, at: float) -> None:
        pass

    def events_from(self, seq: int, limit: int) -> list[OutboxRow]:
        return [r for r in self.rows if r.seq >= seq][:limit]

    def first_unacked_seq(self) -> int | None:
        return next((r.seq for r in self.rows if r.seq not in self.acked), None)

    def oldest_retained_seq(self) -> int | None:
        return self.rows[0].seq if self.rows else None

    def db_bytes(self) -> int | None:
        return None  # in memory: no file to report

    def last_seq(self) -> int:
        return len(self.rows)

    def acked_through(self) -> int:
        return max(self.acked, default=0)

    def mark_acked(self, through: int, at: float, *, first: int = 1) -> int:
        assert through <= self.server.committed_through(self.rid), "I6: acked before the server committed"
        for r in self.rows:  # I6 with content: the server holds this very event under this seq
            if first <= r.seq <= through and r.seq not in self.acked:
                assert self.server.events.get((self.rid, r.seq)) == r.sha256, "I6: acked another event"
        new = {r.seq for r in self.rows if first <= r.seq <= through} - self.acked
        self.acked |= new
        return len(new)

    def record_outcomes(self, results: list[w.PushResult]) -> None:
        self.outcomes.update({r.seq: r.outcome for r in results})

    def rekey(self, reason: str, detail: str, at: float) -> Rekeyed:
        keep = [r for r in self.rows if r.seq not in self.acked]
        done = Rekeyed(
            self.rid, str(uuid.uuid4()), reason, len(self.rows), max(self.acked, default=0), len(keep)
        )
        self.retired.append((done, self.rows))
        self.rid, self.acked, self.outcomes = done.new, set(), {}
        self.rows = [
            OutboxRow(i, r.event_id, r.type, r.v, r.lease, r.payload, r.created_wall, r.sha256)
            for i, r in enumerate(keep, 1)
        ]
        return done

    def predecessor(self) -> w.RetiredReplica | None:
        done = next((d for d, _ in reversed(self.retired) if d.new == self.rid), None)
        return done.wire() if done else None

    def backup(self) -> MemorySyncStore:
        """A copy of this database as it is now (sharing the server)."""
        return MemorySyncStore(self.server, self.rid, list(self.rows), set(self.acked))

    def restore(self, backup: MemorySyncStore) -> None:
        """The station's database is replaced by an old copy of itself (same replica id, fewer rows)."""
        self.rid, self.rows, self.acked = backup.rid, list(backup.rows), set(backup.acked)
        self.retired, self.outcomes = list(backup.retired), dict(backup.outcomes)

    def depth(self) -> int:
        return len(self.rows) - len(self.acked)

    def oldest_unacked_wall(self) -> float | None:
        return 1.0 if self.depth() else None

    def cursor(self) -> str | None:
        return self._cursor

    def apply_pull(self, pull: w.PullResponse, *, boot_now: float, margin_s: float) -> None:
        self._cursor = pull.cursor

    def set_status(self, *, online: bool, status: str, detail: str, clock_offset_s: float | None) -> None:
        self.status = status
