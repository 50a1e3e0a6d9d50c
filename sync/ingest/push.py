"""Push (docs/sync.md S1–S5, S10–S12): one transaction per batch, under the replica's row lock.

Order of checks, each before anything is written: the replica exists and is the caller's (S11, S12); events
at or below `last_seq` are duplicates — the same digest is acknowledged again, a different one is
`seq_reuse_mismatch` (S2); the first new event must be `last_seq + 1` (gap); no new event may have a version
newer than this server reads (426, S10). Then every new event is applied in seq order and gets an outcome;
business problems are outcomes, never errors, so `last_seq` always advances past them (S4). The caller
commits, and only then answers (S1).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.server.db.database import Database
from app.server.db.tx import run_write
from app.server.errors import ApiError
from app.server.stations.models import Station, SyncEvent
from app.server.stations.registry import append_changes, ensure_station, load_replica
from sync import schemas as w
from sync.ingest.batch import RowCache
from sync.ingest.bulk import JsonText, any_of, in_values, is_postgresql
from sync.ingest.effects import BatchContext, Malformed, Outcome, StockUnlocked, rejected, write
from sync.ingest.effects_load import load
from sync.ingest.effects_stock import write_stock_late
from sync.ingest.event_log import record_events
from sync.ingest.specs import SPECS, needs_locked_stock

log = logging.getLogger("aisle.server.sync")


class PushAnswer(TypedDict):
    """A push's answer as plain data, in the shape of sync.schemas.PushResponse (the router's documented
    response model): the server builds every field itself, and validating 500 results into models only to
    serialise them again cost ~3 ms a push."""

    acked_through: int
    expected_next: int
    results: list[dict[str, Any]]
    server_now: float


#: newest version of each event type this server reads (older ones are upcast, S10)
MAX_VERSION: dict[str, int] = {}
DEFAULT_MAX_VERSION = 1


def upcast(ev: w.PushEvent) -> w.PushEvent:
    """Bring an old event version up to the one the handlers read (every type is still at version 1)."""
    return ev


def _digest(ev: w.PushEvent, payload_json: str) -> str:
    lease = (ev.lease.line_id, ev.lease.token) if ev.lease else None
    return w.event_sha256_of(ev.event_id, ev.type, ev.v, lease, payload_json, ev.created_wall)


def _check_batch(events: Sequence[w.PushEvent]) -> dict[int, JsonText]:
    """Check order and digests; each event's payload as canonical JSON by seq, encoded once, stored as is."""
    seqs = [e.seq for e in events]
    if seqs != sorted(set(seqs)):
        raise ApiError(422, "validation_failed", "Events must be in ascending seq order without repeats.")
    payloads: dict[int, JsonText] = {}
    for e in events:
        payloads[e.seq] = payload_json = JsonText(w.canonical_json(e.payload))
        if _digest(e, payload_json) != e.sha256:
            raise ApiError(
                422,
                "digest_mismatch",
                f"Event seq {e.seq}: its sha256 does not match its content (damaged in transit or a bug); "
                "nothing was recorded.",
                seq=e.seq,
            )
    return payloads


def _duplicates(session: Session, replica_id: str, dups: Sequence[w.PushEvent]) -> list[w.PushResult]:
    if not dups:
        return []
    stored = {
        r.seq: r
        for r in session.execute(
            select(SyncEvent.seq, SyncEvent.sha256, SyncEvent.outcome, SyncEvent.reason).where(
                SyncEvent.replica_id == replica_id, in_values(session, SyncEvent.seq, [e.seq for e in dups])
            )
        )
    }
    results = []
    for e in dups:
        row = stored.get(e.seq)
        if row is not None and row.sha256 != e.sha256:
            raise ApiError(
                409,
                "seq_reuse_mismatch",
                f"Seq {e.seq} of replica {replica_id} was received before with different content. Nothing "
                "was recorded; this station's database may have been restored from a copy.",
                seq=e.seq,
            )
        outcome = row.outcome if row is not None else "accepted"
        results.append(w.PushResult(seq=e.seq, outcome=outcome, reason=row.reason if row else None))
    return results


def _check_versions(fresh: Sequence[w.PushEvent]) -> None:
    for e in fresh:
        newest = MAX_VERSION.get(e.type, DEFAULT_MAX_VERSION)
        if e.v > newest:
            raise ApiError(
                426,
                "upgrade_required",
                f"Event {e.type} version {e.v} is newer than this server reads (up to {newest}): upgrade the "
                "server. The station keeps its queue; nothing was recorded.",
                event_type=e.type,
                max_version=newest,
            )


def _seen_event_ids(session: Session, fresh: Sequence[w.PushEvent]) -> dict[int, Outcome]:
    """Events whose event_id was received before (under another replica or seq): never applied twice (I2)."""
    ids = [e.event_id for e in fresh]
    known: dict[str, str] = {
        event_id: replica_id
        for event_id, replica_id in any_of(session, SyncEvent, "event_id", ids, "event_id, replica_id")
    }
    out: dict[int, Outcome] = {}
    for e in fresh:
        if e.event_id in known:
            where = f"replica {known[e.event_id]}"
            out[e.seq] = rejected("duplicate_event", f"event {e.event_id} was already received ({where})")
        known.setdefault(e.event_id, "(this batch)")
    return out


class PoisonEvent(Exception):
    """Applying the event `seq` failed: the batch is rolled back and done again with that event rejected.

    A handler checks before it changes anything, but a failure it did not foresee (a malformed payload, a bug)
    may come halfway; redoing the batch without the event is the only way to be sure nothing of it stays.
    """

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"seq {seq}: {reason}")
        self.seq, self.reason = seq, reason


def _apply(ctx: BatchContext, ev: w.PushEvent, poisoned: dict[int, str]) -> Outcome:
    if ev.seq in poisoned:
        return _unapplied(ctx, ev, poisoned[ev.seq])
    spec = SPECS.get(ev.type)
    if spec is None:
        return _unapplied(ctx, ev, f"unknown_event_type: this server does not know {ev.type} events")
    try:
        if spec.locks_stock:  # never raises: push_batch locks the slots of a batch holding one from the start
            ctx.need_stock_locks()
        return spec.handler(ctx, upcast(ev))
    except StockUnlocked:  # the batch is done again with its stock slots locked (push_batch)
        raise
    except Malformed as exc:  # found by the handler's checks, before it changed anything: no redo needed
        return _unapplied(ctx, ev, f"malformed: {ev.type}: {exc}")
    except (IntegrityError, DataError) as exc:  # the event's values broke a rule of the database
        raise PoisonEvent(ev.seq, f"server_error: {ev.type}: {exc.__class__.__name__}") from exc
    except SQLAlchemyError:
        # a deadlock, a lost connection, a session an outage left unusable: never the event's fault, so the
        # whole batch is tried again (run_write) or answered 503, and the event is not rejected
        raise
    except (KeyError, ValueError, TypeError) as exc:  # a payload a handler's checks did not foresee
        raise PoisonEvent(ev.seq, f"malformed: {ev.type}: {exc!r}") from exc
    except Exception as exc:  # a server bug must not wedge the station's queue (S4): reject this one event
        log.exception("event seq %s (%s) of station %s failed to apply", ev.seq, ev.type, ctx.station_id)
        raise PoisonEvent(ev.seq, f"server_error: {ev.type}: {exc.__class__.__name__}: {exc}") from exc


def _unapplied(ctx: BatchContext, ev: w.PushEvent, reason: str) -> Outcome:
    """An event the server recorded but could not apply: rejected, and put before the supervisor (S4)."""
    ctx.flag(
        "event_rejected",
        f"{ev.type} (seq {ev.seq}) from {ctx.station_id} is recorded but was not applied — {reason}. "
        "Check what the operator did and correct it by hand if needed.",
        ev.payload,
        event_id=ev.event_id,
        seq=ev.seq,
    )
    code, _, text = reason.partition(": ")
    return rejected(code, text)


def push(
    session: Session,
    req: w.PushRequest,
    now: float,
    *,
    wrong_item_streak: int = 3,
    poisoned: dict[int, str] | None = None,
    check_event_ids: bool = True,
    lock_stock: bool = True,
) -> PushAnswer:
    """Apply one pushed batch in the caller's transaction; ApiError for gap, mismatch, version, replica.

    PoisonEvent when an event fails to apply: the caller rolls back and calls again with that event's seq and
    reason in `poisoned`, so it is recorded as rejected and the rest applies (see push_batch).
    Without `check_event_ids` the event ids are not looked up first: the unique index on event_id still
    refuses one received before, and the caller does the batch again with the lookup (push_batch).
    Without `lock_stock` (PostgreSQL) the stock slots are read unlocked and written last (effects_stock);
    StockUnlocked when the batch needs them locked: the caller rolls back and calls again with them locked.
    """
    poisoned = poisoned or {}
    payloads = _check_batch(req.events)
    replica = load_replica(session, req.station_id, req.replica_id, lock=True)
    last = replica.last_seq
    dups = [e for e in req.events if e.seq <= last]
    fresh = [e for e in req.events if e.seq > last]
    results = [r.model_dump() for r in _duplicates(session, replica.replica_id, dups)]
    fresh_results: list[dict[str, Any]] = []
    if fresh and fresh[0].seq != last + 1:
        raise ApiError(
            409,
            "gap",
            f"Replica {replica.replica_id} is at seq {last}; the batch starts at {fresh[0].seq}. Send from "
            f"{last + 1}.",
            expected_next=last + 1,
        )
    _check_versions(fresh)
    station = session.get(Station, req.station_id) or ensure_station(session, req.station_id)
    if fresh:
        late = not lock_stock and is_postgresql(session)
        ctx = BatchContext(session, station, now, wrong_item_streak, RowCache(stock_locked=not late))
        seen = _seen_event_ids(session, fresh) if check_event_ids else {}
        load(ctx, [e for e in fresh if e.seq not in seen])
        outcomes = [seen.get(ev.seq) or _apply(ctx, ev, poisoned) for ev in fresh]
        write(ctx)
        record_events(session, req, fresh, outcomes, payloads, now)
        replica.last_seq = fresh[-1].seq
        fresh_results = [
            {"seq": e.seq, "outcome": o.outcome, "reason": o.reason}
            for e, o in zip(fresh, outcomes, strict=True)
        ]
        owed = [
            (
                "event.outcome",
                w.EventOutcome(
                    seq=e.seq, outcome=o.outcome, reason=o.reason, event_id=e.event_id
                ).model_dump(),
            )
            for e, o in zip(fresh, outcomes, strict=True)
            if o.outcome != "accepted"
        ]
        append_changes(session, req.station_id, owed)
        write_stock_late(ctx)  # last: another station's batch on the same slots waits only from here
    station.last_push_at = datetime.fromtimestamp(now, UTC)
    station.outbox_depth = max(0, req.outbox_depth - len(fresh)) if req.outbox_depth else 0
    station.oldest_unacked_age_s = req.oldest_unacked_age_s
    if req.db_bytes is not None:  # an older station does not say: keep what is known
        station.db_bytes = req.db_bytes
    station.app_version = req.app_version[:64]
    return {
        "acked_through": replica.last_seq,
        "expected_next": replica.last_seq + 1,
        "results": results + fresh_results,
        "server_now": now,
    }


@dataclass
class AttemptPlan:
    """How the next transaction of a batch runs, as learnt from the ones rolled back before it."""

    #: the stock slots are read locked (else unlocked and written last as deltas, effects_stock)
    lock_stock: bool
    #: the event ids are looked up before anything is applied (else the unique index catches a repeat)
    check_event_ids: bool
    #: events that failed to apply, by seq, with why: recorded as rejected, not applied
    poisoned: dict[int, str] = field(default_factory=dict)


def push_batch(db: Database, req: w.PushRequest, now: float, *, wrong_item_streak: int = 3) -> PushAnswer:
    """push() in a write transaction of its own, done again without each event that fails to apply (S4).

    The plan, top to bottom: (1) optimistic, the stock slots read without locks, unless an event's type needs
    them locked (specs: locks_stock); (2) if a slot did not hold, or a handler needed the slots as they are
    (StockUnlocked), the whole batch once more with them locked from the start. Within each, a transaction
    rolled back by a poisoned event is done again with that event rejected (_until_committed). The response
    is sent after the COMMIT of the transaction that succeeded (S1).
    """
    ids = [e.event_id for e in req.events]
    plan = AttemptPlan(
        lock_stock=needs_locked_stock(req.events),
        # An event id received before comes only from a station that re-keyed after a restore (or twice in one
        # batch): look ids up only then, and let the unique index catch the rare case (saves a 500-id lookup).
        check_event_ids=len(set(ids)) != len(ids),
    )
    if not plan.lock_stock:
        try:
            return _until_committed(db, req, now, plan, wrong_item_streak)  # (1) stock read unlocked
        except StockUnlocked:
            plan.lock_stock = True
    # (2) stock read locked: no handler asks for locks then, so a StockUnlocked here is a bug: it propagates
    return _until_committed(db, req, now, plan, wrong_item_streak)


def _until_committed(
    db: Database, req: w.PushRequest, now: float, plan: AttemptPlan, wrong_item_streak: int
) -> PushAnswer:
    """push() in write transactions (run_write, which retries deadlocks and lost connections itself) until one
    commits. One rolled back because of the batch itself tells the next what to do differently: reject the
    event that failed to apply (PoisonEvent), or look the event ids up first (a repeated id). Each round
    rejects one more event or turns the lookup on, so there are at most as many rounds as events, plus two.
    """
    for _round in range(len(req.events) + 2):
        attempt = partial(
            push,
            req=req,
            now=now,
            wrong_item_streak=wrong_item_streak,
            poisoned=plan.poisoned,
            check_event_ids=plan.check_event_ids,
            lock_stock=plan.lock_stock,
        )
        try:
            return run_write(db, attempt)
        except PoisonEvent as exc:
            if exc.seq in plan.poisoned:  # cannot happen: a poisoned event is never applied again
                raise
            plan.poisoned[exc.seq] = exc.reason
        except IntegrityError as exc:
            if plan.check_event_ids or not _event_id_clash(exc):
                raise
            plan.check_event_ids = True
    raise AssertionError(
        "every round rejects one more event or turns the id lookup on: rounds cannot run out"
    )


def _event_id_clash(exc: IntegrityError) -> bool:
    """True when the unique index on sync_events.event_id refused a row."""
    diag = getattr(exc.orig, "diag", None)
    if diag is not None:
        return getattr(diag, "constraint_name", None) == "uq_sync_events_event_id"
    return "sync_events.event_id" in str(exc.orig)
