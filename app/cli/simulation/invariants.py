"""The invariants of docs/sync.md, checked after a run against the server database and the station databases.

Every check returns `Violation`s naming the invariant it breaks; an empty list means it holds.

- I1 no lost scans: every event in a station's outbox is on the server, under the same (replica, seq),
  with the same content; every event of a replica the station retired when it re-keyed after a restore
  (and every re-sent event the server had already) is on the server once under its own event_id;
- I2 no duplicate effects: each accepted pick moved stock exactly once, and each line's picked count is
  the sum of its accepted picks and undos;
- I3 contiguous sequences: the server holds seqs 1..last_seq of each replica, the station 1..next_seq-1;
- I4 lease safety: picks are applied under one station per token, never under a token older than one
  already applied to the line (stale picks are conflicts), and — where asked — one station per line;
- I5 convergence: after a final pull, each station's open lines and their tokens are exactly the open lines
  the server says that station holds (check_convergence);
- I6 ack safety: no station row is marked acknowledged unless the server holds it;
- I7 liveness: every outbox is drained;
- stock: every slot's on-hand equals the sum of its stock moves, and its pick moves equal its lines' picks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.simulation.station_db import StationDb
from app.domain.events import ItemPicked, ScanUndone
from app.server.db.database import Database
from app.server.stations.models import Replica, SyncEvent
from app.server.stock.models import StockItem, StockMove
from app.server.work.models import WorkLine

_UUID = r"[0-9a-fA-F-]{36}"
_EVENT_IN_NOTE = re.compile(rf"event ({_UUID})")
_RUN_IN_NOTE = re.compile(rf"(\d+) picks, events ({_UUID}) to ({_UUID})")  # one move for a run of picks


PICKED, UNDONE = ItemPicked.TYPE, ScanUndone.TYPE  # wire names, as the server's sync_events hold them


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant: which one (I1…I8, stock, completion) and what exactly."""

    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


def check_replicas(db: Database, stations: Iterable[StationDb], *, drained: bool = True) -> list[Violation]:
    """I1, I3, I6 (and I7 when `drained`) for each station database against the server's sync events."""
    out: list[Violation] = []
    with db.session_scope() as s:
        for st in stations:
            out += _check_replica(s, st, drained)
    return out


def _check_replica(s: object, st: StationDb, drained: bool) -> list[Violation]:

    assert isinstance(s, Session)
    rid, name = st.replica_id(), st.station_id or st.path.name
    out: list[Violation] = []
    rows = st.outbox()
    last = st.last_seq()
    server = {
        r.seq: r
        for r in s.execute(
            select(SyncEvent.seq, SyncEvent.event_id, SyncEvent.sha256).where(SyncEvent.replica_id == rid)
        )
    }
    replica = s.get(Replica, rid)
    server_last = replica.last_seq if replica else 0
    if sorted(server) != list(range(1, len(server) + 1)) or server_last != len(server):
        out.append(Violation("I3", f"{name}: server seqs of replica {rid[:8]} are not 1..{server_last}"))
    seqs = [r.seq for r in rows]
    if seqs and seqs != list(range(seqs[0], last + 1)):
        out.append(Violation("I3", f"{name}: outbox seqs are not contiguous up to {last}"))
    if server_last > last:
        out.append(
            Violation("I3", f"{name}: the server holds seq {server_last}, this database only reached {last}")
        )
    # (event_id, sha256, must be there, where): the events checked by event_id, not by seq
    by_id: list[tuple[str, str, bool, str]] = []
    for r in rows:
        got = server.get(r.seq)
        if got is None:
            if drained:
                out.append(Violation("I1", f"{name}: seq {r.seq} ({r.type}) is not on the server"))
            if r.acked:
                out.append(
                    Violation("I6", f"{name}: seq {r.seq} is marked acknowledged, the server lacks it")
                )
        elif got.sha256 != r.sha256 or not _same_event(got.event_id, r.event_id):
            out.append(Violation("I1", f"{name}: seq {r.seq} on the server has other content (seq reuse)"))
        elif got.event_id != r.event_id:  # re-sent after a re-key; the server had it already
            by_id.append((r.event_id, r.sha256, True, f"seq {r.seq}"))
    for x in st.retired_outbox():
        where = f"seq {x.seq} of retired replica {x.replica_id[:8]}"
        by_id.append((x.event_id, x.sha256, drained or x.acked, where))
    out += _on_server_by_id(s, name, by_id)
    if drained and (depth := sum(1 for r in rows if not r.acked)):
        out.append(Violation("I7", f"{name}: {depth} event(s) still waiting in the outbox"))
    return out


def _same_event(stored: str, event_id: str) -> bool:
    """The server keeps a duplicate event_id (one it had received before) as `dup:<replica>:<seq>:<id>`."""
    return stored == event_id or (stored.startswith("dup:") and stored.endswith(f":{event_id}"))


def _on_server_by_id(s: object, name: str, wanted: list[tuple[str, str, bool, str]]) -> list[Violation]:

    assert isinstance(s, Session)
    ids = [w[0] for w in wanted]
    known: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        q = select(SyncEvent.event_id, SyncEvent.sha256).where(SyncEvent.event_id.in_(ids[i : i + 500]))
        known.update(s.execute(q).tuples().all())
    out: list[Violation] = []
    for event_id, sha256, required, where in wanted:
        got = known.get(event_id)
        if got is None and required:
            out.append(Violation("I1", f"{name}: event {event_id} ({where}) is not on the server"))
        elif got is not None and got != sha256:
            out.append(
                Violation("I1", f"{name}: event {event_id} ({where}) is on the server with other content")
            )
    return out


def check_convergence(db: Database, stations: Iterable[StationDb]) -> list[Violation]:
    """I5 for each station (run it after each has pulled once more): its leased lines equal the server's."""
    held: dict[str, dict[str, int]] = defaultdict(dict)
    with db.session_scope() as s:
        rows = s.execute(
            select(WorkLine.id, WorkLine.holder, WorkLine.lease_token).where(
                WorkLine.status == "open", WorkLine.holder.is_not(None)
            )
        ).all()
    for line_id, holder, token in rows:
        held[str(holder)][str(line_id)] = int(token or 0)
    out: list[Violation] = []
    for st in stations:
        if not st.station_id:
            raise ValueError(f"{st.path.name}: I5 needs the station id the server knows it by")
        mine, theirs = st.leases(), held.get(st.station_id, {})
        for line_id in sorted(mine.keys() | theirs.keys(), key=_line_order):
            here, there = mine.get(line_id), theirs.get(line_id)
            if here == there:
                continue
            if there is None:
                what = f"leases line {line_id} (token {here}); the server says it does not hold it"
            elif here is None:
                what = f"does not lease line {line_id}; the server says it holds it (token {there})"
            else:
                what = f"holds line {line_id} with token {here}; the server's token is {there}"
            out.append(Violation("I5", f"{st.station_id} {what}"))
    return out


def _line_order(line_id: str) -> tuple[int, str]:
    return (int(line_id), "") if line_id.isdigit() else (0, line_id)


def check_effects(db: Database, *, one_station_per_line: bool = False) -> list[Violation]:
    """I2 and I4 from the server's event log, work lines and stock moves, plus the stock ledger."""
    with db.session_scope() as s:
        events = s.execute(
            select(
                SyncEvent.event_id,
                SyncEvent.station_id,
                SyncEvent.type,
                SyncEvent.lease_line_id,
                SyncEvent.lease_token,
                SyncEvent.payload,
            )
            .where(SyncEvent.outcome == "accepted", SyncEvent.type.in_((PICKED, UNDONE)))
            .order_by(SyncEvent.id)
        ).all()
        lines = {ln.id: (ln.picked, ln.stock_item_id) for ln in s.scalars(select(WorkLine))}
        moves = s.execute(
            select(StockMove.stock_item_id, StockMove.delta, StockMove.reason, StockMove.note)
        ).all()
        on_hand = dict(s.execute(select(StockItem.id, StockItem.on_hand)).tuples().all())
    out = _lease_safety(list(events), one_station_per_line)
    out += _picks_match_lines(list(events), lines)
    out += _moves_once(list(events), list(moves), lines, on_hand)
    return out


def _lease_safety(events: list[Any], one_station_per_line: bool) -> list[Violation]:
    out: list[Violation] = []
    holder: dict[tuple[str, int], str] = {}
    newest: dict[str, int] = {}
    stations: dict[str, set[str]] = defaultdict(set)
    for ev in events:
        if ev.type != PICKED:
            continue
        line, token = str(ev.lease_line_id), int(ev.lease_token or 0)
        first = holder.setdefault((line, token), ev.station_id)
        if first != ev.station_id:
            out.append(Violation("I4", f"line {line}: token {token} applied for {first} and {ev.station_id}"))
        if token < newest.get(line, 0):
            out.append(Violation("I4", f"line {line}: a pick under stale token {token} was applied"))
        newest[line] = max(newest.get(line, 0), token)
        stations[line].add(ev.station_id)
    if one_station_per_line:
        for line, who in stations.items():
            if len(who) > 1:
                out.append(Violation("I4", f"line {line} was picked by {len(who)} stations: {sorted(who)}"))
    return out


def _units(payload: dict[str, Any]) -> int:
    units = payload.get("units")
    return units if isinstance(units, int) else 0


def _picks_match_lines(events: list[Any], lines: dict[int, tuple[int, int | None]]) -> list[Violation]:
    net: dict[int, int] = defaultdict(int)
    for ev in events:
        if ev.type == PICKED:
            net[int(ev.lease_line_id)] += _units(ev.payload)
        elif ev.payload.get("step") == "units":
            net[int(ev.lease_line_id)] -= _units(ev.payload)
    out = []
    for line_id, (picked, _slot) in lines.items():
        if net.get(line_id, 0) != picked:
            out.append(
                Violation("I2", f"line {line_id}: {picked} picked on the server, events say {net[line_id]}")
            )
    return out


def _moves_once(
    events: list[Any],
    moves: list[Any],
    lines: dict[int, tuple[int, int | None]],
    on_hand: dict[int, int],
) -> list[Violation]:
    out: list[Violation] = []
    per_event: dict[str, int] = defaultdict(int)
    ledger: dict[int, int] = defaultdict(int)
    pick_moves: dict[int, int] = defaultdict(int)
    for slot, delta, reason, note in moves:
        ledger[slot] += delta
        if reason == "pick":
            pick_moves[slot] += delta
            if run := _RUN_IN_NOTE.search(note or ""):
                out += _count_run(events, int(run.group(1)), run.group(2), run.group(3), per_event)
            elif m := _EVENT_IN_NOTE.search(note or ""):
                per_event[m.group(1)] += 1
    for ev in events:
        if ev.type == PICKED or ev.payload.get("step") == "units":
            n = per_event.pop(ev.event_id, 0)
            if n != 1:
                out.append(Violation("I2", f"event {ev.event_id} ({ev.type}) moved stock {n} times"))
    for event_id in per_event:
        out.append(Violation("I2", f"a pick stock move names event {event_id}, which was not accepted"))
    for slot, qty in on_hand.items():
        if ledger.get(slot, 0) != qty:
            out.append(
                Violation("stock", f"slot {slot}: on hand {qty}, moves add up to {ledger.get(slot, 0)}")
            )
    picked_by_slot: dict[int, int] = defaultdict(int)
    for picked, slot in lines.values():
        if slot is not None:
            picked_by_slot[slot] += picked
    for slot in set(picked_by_slot) | set(pick_moves):
        if -pick_moves.get(slot, 0) != picked_by_slot.get(slot, 0):
            out.append(
                Violation(
                    "stock",
                    f"slot {slot}: pick moves took {-pick_moves.get(slot, 0)} units, lines picked "
                    f"{picked_by_slot.get(slot, 0)}",
                )
            )
    return out


def _count_run(
    events: list[Any], n: int, first: str, last: str, per_event: dict[str, int]
) -> list[Violation]:
    """Count each pick of a run that one stock move stands for (the same station and line, first to last)."""
    at = {ev.event_id: i for i, ev in enumerate(events)}
    if first not in at or last not in at:
        return [Violation("I2", f"a pick stock move names events {first}..{last}, not all accepted")]
    head = events[at[first]]
    run = [
        ev
        for ev in events[at[first] : at[last] + 1]
        if ev.type == PICKED and (ev.station_id, ev.lease_line_id) == (head.station_id, head.lease_line_id)
    ]
    for ev in run:
        per_event[ev.event_id] += 1
    if len(run) != n:
        return [Violation("I2", f"a stock move for {n} picks covers {len(run)} accepted picks")]
    return []


def check_durability(printed: list[tuple[str, str]], st: StationDb, source: str = "stdin") -> list[Violation]:
    """I8: every scan the station showed as recorded (text, code) is in its database, in the same order."""
    stored = [(x.text, x.code) for x in st.scans(source)]
    if stored[: len(printed)] != printed:
        first = next(
            (i for i, (a, b) in enumerate(zip(printed, stored, strict=False)) if a != b), len(stored)
        )
        return [
            Violation(
                "I8",
                f"{st.station_id or st.path.name}: scan {first + 1} shown as recorded "
                f"({printed[first] if first < len(printed) else '?'}) is missing from the database",
            )
        ]
    return []
