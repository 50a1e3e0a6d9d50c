"""Business effects of a batch of pushed events: the rows they touch, locked and read once per batch, and
the rows they change or add, written once per batch, so a 500-event push costs a handful of round trips.

Handlers (sync.ingest.effects_pick and effects_pack) only validate and change the rows read (plain
objects for the many work lines, order lines, stock slots and reservations, see effects_rows; ORM objects
for the few orders, work units and the station) or queue new ones. A handler that finds a problem returns
a rejected or conflict outcome *before* changing anything, so one event's problem never leaves another
half-applied (S4).

Lock order, the same in every writer of these tables: work lines, orders, order lines, stock items,
reservations. One exception: a batch of picks on PostgreSQL reads its stock slots without locks and locks them
last, when it writes their changes as deltas (effects_stock): stations picking the same fast seller then wait
for each other only for that statement and the COMMIT, not for each other's whole batch. It holds its
reservations by then; other writers reach those through their order, which the batch holds too, except a
stock adjustment down that takes reserved units back (services.stock): the two may deadlock, which
PostgreSQL breaks within a second, and the one it stops is done again (tx.run_write).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.domain.errors import IllegalTransition
from app.domain.order_status import OrderStatus, transition
from app.server.orders.models import OrderEvent
from app.server.stations.models import Station
from app.server.stock.models import StockMove
from app.server.work.models import CountTask, FloorException
from sync import schemas as w
from sync.ingest.bulk import Query, driver_rows_together, insert_rows, is_postgresql, pipelined
from sync.ingest.effects_rows import (
    LineRow,
    OrderLineRow,
    OrderRow,
    ReservationMap,
    RowMap,
    StockRow,
    WorkOrderRow,
    WorkUnitRow,
    line_rows,
    order_line_rows,
    order_rows,
    stock_rows,
    unit_rows,
    work_order_rows,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the server made of one event (S4: every well-formed event gets one and advances last_seq)."""

    outcome: w.Outcome
    reason: str | None = None


ACCEPTED = Outcome("accepted")


class Malformed(ValueError):
    """An event's payload cannot be applied; raised by a handler's checks, before it has changed anything."""


class StockUnlocked(Exception):
    """The batch read its stock slots without locks and something needs them locked: a pick the slot as read
    cannot cover, a short, a re-allocation, or a slot that changed under the batch so that a pick would not
    have passed (effects_stock). The batch is rolled back and done again with the slots locked from the start.
    """


def rejected(code: str, text: str) -> Outcome:
    return Outcome("rejected_recorded", f"{code}: {text}")


def conflict(code: str, text: str) -> Outcome:
    return Outcome("accepted_conflict", f"{code}: {text}")


#: the largest id a server table holds (INTEGER keys): a larger one names no row, and would not even bind
MAX_ID = 2**31 - 1


def as_int(value: Any) -> int | None:
    """An id from the wire ('12', 12 or 'ORD-12'), or None when it cannot name a row."""
    if type(value) is int:
        number = value
    elif type(value) is str and value.isdigit() and value.isascii() and len(value) <= 10:
        number = int(value)  # the usual case: a line or order id as text
    elif isinstance(value, str):
        digits = value.upper().removeprefix("ORD-")
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
            return None
        number = int(digits)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


@dataclass
class BatchContext:
    """The rows a batch of events acts on, and the rows it will add."""

    session: Session
    station: Station
    now: float
    wrong_item_streak: int
    lines: RowMap[LineRow] = field(default_factory=line_rows)
    orders: RowMap[OrderRow] = field(default_factory=order_rows)
    order_lines: RowMap[OrderLineRow] = field(default_factory=order_line_rows)
    stock: RowMap[StockRow] = field(default_factory=stock_rows)
    reservations: ReservationMap = field(default_factory=ReservationMap)
    units: RowMap[WorkUnitRow] = field(default_factory=unit_rows)
    work_orders: RowMap[WorkOrderRow] = field(default_factory=work_order_rows)
    moves: list[dict[str, Any]] = field(default_factory=list)
    order_events: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    count_tasks: list[dict[str, Any]] = field(default_factory=list)
    #: False: the stock slots were read without locks, and are written as deltas when the batch ends, each
    #: checked then to have held enough for every pick (effects_stock: PostgreSQL, batches without shorts)
    stock_locked: bool = True
    #: per slot read without a lock, the lowest on_hand the batch's picks left, relative to the value read
    stock_low: dict[int, int] = field(default_factory=dict)
    #: per order of the batch held for packing by another station, that station (read at the first pack event)
    pack_holders: dict[int, str] | None = None
    #: per stock item, its latest move if that is a run of picks: (line id, actor, move row, event ids)
    _pick_runs: dict[int, tuple[int, str, dict[str, Any], list[str]]] = field(default_factory=dict)
    _runs: list[tuple[int, str, dict[str, Any], list[str]]] = field(default_factory=list)  # all, in order

    station_id: str = field(init=False)
    #: the server's time of this batch (its clock, as `now`): every row the batch writes carries it
    at: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.station_id = self.station.station_id  # read per event: a plain attribute, not the ORM's
        self.at = datetime.fromtimestamp(self.now, UTC)

    def actor(self, payload: dict[str, Any]) -> str:
        op = payload.get("operator")
        return f"station:{self.station_id}" + (f"/{op}" if op else "")

    def flag(self, kind: str, message: str, payload: dict[str, Any], **data: Any) -> None:
        """Queue an exception for the supervisor."""
        self.exceptions.append(
            {
                "kind": kind,
                "station_id": self.station_id,
                "operator": str(payload.get("operator") or "")[:64],
                "order_id": as_int(payload.get("order_id")),
                "line_id": as_int(payload.get("line_id")),
                "message": message[:1000],
                "data": data,
                "acknowledged": False,
                "acknowledged_by": "",
                "created_at": self.at,
            }
        )

    def need_stock_locks(self) -> None:
        """What comes next must see the stock slots as locked: StockUnlocked when they were read without."""
        if not self.stock_locked:
            raise StockUnlocked

    def move_stock(
        self, item: StockRow, delta: int, reason: str, order_id: int | None, note: str, actor: str
    ) -> None:
        """Change on-hand stock and queue its StockMove row (every change of stock carries a reason).

        Only picks (pick_stock) take stock off a slot read without a lock."""
        if delta < 0:
            self.need_stock_locks()
        self._move(item, delta, reason, order_id, note, actor)

    def _move(
        self, item: StockRow, delta: int, reason: str, order_id: int | None, note: str, actor: str
    ) -> None:
        item.on_hand += delta
        self._pick_runs.pop(item.id, None)
        self.moves.append(
            {
                "stock_item_id": item.id,
                "delta": delta,
                "reason": reason,
                "order_id": order_id,
                "note": note[:500],
                "actor": actor[:100],
                "at": self.at,
            }
        )

    def pick_stock(
        self, item: StockRow, units: int, order_id: int, line_id: int, event_id: str, actor: str
    ) -> None:
        """Take picked units off the slot: one StockMove per line for a run of picks in this batch.

        A picker scanning 4 units sends 4 events; the ledger gets one move of -4 naming the line and the
        events (each event stays in sync_events), as a warehouse posts one movement per confirmed pick task.
        A run ends when anything else moves the slot's stock (an undo, a short), so the ledger keeps order.
        """
        run = self._pick_runs.get(item.id)
        if run is None or run[0] != line_id or run[1] != actor or run[2]["order_id"] != order_id:
            self._move(item, -units, "pick", order_id, f"line {line_id}, event {event_id}", actor)
            self._pick_runs[item.id] = run = (line_id, actor, self.moves[-1], [event_id])
            self._runs.append(run)
        else:
            item.on_hand -= units
            run[2]["delta"] -= units
            run[3].append(event_id)  # the move's note names the run's events when it is written (runs_noted)
        if not self.stock_locked:
            low = item.on_hand - self.stock.as_read(item.id)[0]
            if low < self.stock_low.get(item.id, 0):
                self.stock_low[item.id] = low

    def runs_noted(self) -> list[dict[str, Any]]:
        """The queued stock moves, each run of picks named by its line, count and first and last event."""
        for line_id, _actor, row, events in self._runs:
            if len(events) > 1:
                row["note"] = f"line {line_id}, {len(events)} picks, events {events[0]} to {events[-1]}"
        return self.moves

    def work_order(self, work_id: int | None, order_id: int) -> WorkOrderRow | None:
        """The order's place in work unit `work_id`, if both were read."""
        found = (wo for wo in self.work_orders.values() if wo.work_id == work_id and wo.order_id == order_id)
        return next(found, None)

    def record(
        self,
        order: OrderRow,
        type_: str,
        message: str,
        actor: str,
        *,
        from_status: str | None = None,
        to_status: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Queue an entry of the order's history (as services.events.record)."""
        self.order_events.append(
            {
                "order_id": order.id,
                "type": type_,
                "from_status": from_status,
                "to_status": to_status,
                "message": message[:1000],
                "data": data or {},
                "actor": actor[:100],
                "at": self.at,
            }
        )

    def advance(self, order: OrderRow, path: Sequence[OrderStatus], message: str, actor: str) -> str | None:
        """Walk the order along `path` from where it is (skipping steps passed); a reason when it cannot.

        Each step is checked by the state machine and logged, as services.events.move does.
        """
        if order.status == path[-1]:  # already there (every pick after a line's first): nothing to check
            return None
        current = OrderStatus(order.status)
        if current in path:
            path = path[path.index(current) + 1 :]
        for target in path:
            try:
                transition(current, target, order_ref=f"Order {order.reference}")
            except IllegalTransition as exc:
                return exc.message
            order.status, order.updated_at = target.value, self.at
            self.record(
                order,
                f"status.{target.value}",
                message,
                actor,
                from_status=current.value,
                to_status=target.value,
            )
            current = target
        return None


def _ids(values: Sequence[Any]) -> list[int]:
    return sorted({i for v in values if (i := as_int(v)) is not None})


def load(ctx: BatchContext, events: Sequence[w.PushEvent]) -> None:
    """Lock and read everything `events` may touch, in the global lock order.

    On PostgreSQL in two round trips: the work lines, then everything else (driver_rows_together runs the
    reads one after the other in the order given, so the lock order holds, and the work units and their orders
    are read, unlocked, after the locks are held, as before: a cancel holding an order lock is seen).
    """
    s = ctx.session
    line_ids = _ids([e.lease.line_id for e in events if e.lease])
    closing = _ids([e.payload.get("order_id") for e in events if e.type == "ToteClosed"])
    sealing = _ids([e.payload.get("order_id") for e in events if e.type == "OrderSealed"])
    work_ids = _ids([e.payload.get("work_id") for e in events if e.type in ("ToteAssigned", "ToteClosed")])
    unleased_orders = _ids([e.payload.get("order_id") for e in events if not e.lease])
    ctx.lines.read_ids(s, ("id", line_ids), ("order_id", closing))
    order_ids = sorted({ln.order_id for ln in ctx.lines.values()} | set(unleased_orders))
    ol_ids = sorted({ln.order_line_id for ln in ctx.lines.values()})
    stock_ids = sorted({ln.stock_item_id for ln in ctx.lines.values() if ln.stock_item_id is not None})
    if is_postgresql(s):
        _read_together(
            s,
            (ctx.orders, ctx.orders.ids_query(("id", order_ids))),
            # a sealed order's lines count as packed
            (ctx.order_lines, ctx.order_lines.ids_query(("id", ol_ids), ("order_id", sealing))),
            (ctx.stock, ctx.stock.ids_query(("id", stock_ids), lock=ctx.stock_locked)),
            (ctx.reservations, ctx.reservations.query(ol_ids, stock_ids)),
            (ctx.units, ctx.units.ids_query(("id", work_ids), lock=False)),
            (ctx.work_orders, ctx.work_orders.ids_query(("work_id", work_ids), lock=False)),
        )
        return
    ctx.orders.read_ids(s, ("id", order_ids))
    ctx.order_lines.read_ids(s, ("id", ol_ids), ("order_id", sealing))
    ctx.stock.read_ids(s, ("id", stock_ids))
    ctx.reservations.read(s, ol_ids, stock_ids)
    ctx.units.read_ids(s, ("id", work_ids), lock=False)
    ctx.work_orders.read_ids(s, ("work_id", work_ids), lock=False)


class _Rows(Protocol):
    def add(self, rows: Iterable[Sequence[Any]]) -> None: ...


def _read_together(session: Session, *reads: tuple[_Rows, Query | None]) -> None:
    """Run the queries (None: nothing to read) in one round trip and add each one's rows to its map."""
    wanted = [(rows, query) for rows, query in reads if query is not None]
    if not wanted:
        return
    for (rows, _query), result in zip(
        wanted, driver_rows_together(session, [query for _rows, query in wanted]), strict=True
    ):
        rows.add(result)


Handler = Callable[[BatchContext, w.PushEvent], Outcome]


def write_rows(ctx: BatchContext) -> None:
    """Write the changed rows of this batch so far (in lock order); SQL read after this sees them."""
    s = ctx.session
    s.flush()  # the station row, and a re-allocation's new work unit
    with pipelined(s):  # one round trip for all of them on PostgreSQL
        ctx.lines.write(s)
        ctx.orders.write(s)
        ctx.order_lines.write(s)
        if ctx.stock_locked:  # else as deltas when the batch ends (effects_stock)
            ctx.stock.write(s)
        ctx.reservations.write(s)
        ctx.units.write(s)
        ctx.work_orders.write(s)
    ctx.reservations.insert_new(s)


def write(ctx: BatchContext) -> None:
    """Insert the queued rows and write the changed ones (one statement or COPY per table).

    The ledgers go in first: their foreign-key checks then find the stock items and orders as this
    transaction locked them (its FOR UPDATE covers the check's key-share lock), where after the UPDATE each
    check locks the new row version once more (~15 % of the ledgers' insert time in the bench).
    """
    s = ctx.session
    s.flush()  # the station row, and a re-allocation's new work unit or slot, which new rows may name
    insert_rows(s, StockMove, ctx.runs_noted())
    insert_rows(s, OrderEvent, ctx.order_events)
    insert_rows(s, FloorException, ctx.exceptions)
    insert_rows(s, CountTask, ctx.count_tasks)
    write_rows(ctx)


def lease_problem(ctx: BatchContext, ev: w.PushEvent) -> tuple[LineRow | None, Outcome | None]:
    """The leased line of `ev`, or the outcome that says why the event cannot act on it (S8 fencing)."""
    if ev.lease is None:
        return None, rejected("no_lease", f"{ev.type} must name the line and lease token it acts under")
    line_id = as_int(ev.lease.line_id)
    line = ctx.lines.get(line_id) if line_id is not None else None
    if line is None:
        return None, rejected("unknown_line", f"line {ev.lease.line_id} is not known on the server")
    if line.holder != ctx.station_id or line.lease_token != ev.lease.token:
        holder = f"held by {line.holder}" if line.holder else "not held by any station"
        text = (
            f"line {line.id} ({line.sku} at {line.location}) is now {holder} under token {line.lease_token}; "
            f"this station's token {ev.lease.token} is stale, so nothing was applied"
        )
        ctx.flag(
            "sync_conflict",
            f"{ev.type} from {ctx.station_id} with a stale lease: {text}.",
            ev.payload,
            line_id=line.id,
            token=ev.lease.token,
            current_token=line.lease_token,
            event_id=ev.event_id,
        )
        return line, conflict("stale_lease", text)
    return line, None
