"""Business effects of a batch of pushed events: the rows they touch, locked and read once per batch, and
the rows they change or add, written once per batch, so a 500-event push costs a handful of round trips.

Handlers (sync.ingest.effects_pick and effects_pack, each declared in sync.ingest.specs) only validate and
change the rows read (the batch's RowCache: plain objects, see effects_rows; an ORM object for the station)
or queue new ones (its WriteQueue). A handler that finds a problem returns
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain.errors import IllegalTransition
from app.domain.order_status import OrderStatus, transition
from app.server.orders.models import OrderEvent
from app.server.stations.models import Station
from app.server.stock.models import StockMove
from app.server.work.models import CountTask, FloorException
from sync import schemas as w
from sync.ingest.batch import PickRun, RowCache, WriteQueue
from sync.ingest.bulk import insert_rows, pipelined
from sync.ingest.effects_rows import LineRow, OrderRow, StockRow


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
    """One pushed batch as its handlers see it: the station and the batch's clock, the rows read
    (`rows`, changed in place) and the rows to add (`queue`), with the few steps handlers share."""

    session: Session
    station: Station
    now: float
    wrong_item_streak: int
    rows: RowCache = field(default_factory=RowCache)
    queue: WriteQueue = field(default_factory=WriteQueue)

    station_id: str = field(init=False)
    #: the server's time of this batch (its clock, as `now`): every row the batch writes carries it
    at: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.station_id = self.station.station_id  # read per event: a plain attribute, not the ORM's
        self.at = datetime.fromtimestamp(self.now, UTC)

    @property
    def today(self) -> date:
        """The batch's date (UTC, on the server's clock): what allocation checks best-before dates against."""
        return self.at.date()

    def actor(self, payload: dict[str, Any]) -> str:
        op = payload.get("operator")
        return f"station:{self.station_id}" + (f"/{op}" if op else "")

    def flag(self, kind: str, message: str, payload: dict[str, Any], **data: Any) -> None:
        """Queue an exception for the supervisor."""
        self.queue.exceptions.append(
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
        if not self.rows.stock_locked:
            raise StockUnlocked

    def move_stock(
        self, item: StockRow, delta: int, reason: str, order_id: int | None, note: str, actor: str
    ) -> None:
        """Change on-hand stock and queue its StockMove row (every change of stock carries a reason).

        Only picks (pick_stock) take stock off a slot read without a lock."""
        if delta < 0:
            self.need_stock_locks()
        item.on_hand += delta
        self.queue.stock_move(item.id, delta, reason, order_id, note, actor, self.at)

    def pick_stock(
        self, item: StockRow, units: int, order_id: int, line_id: int, event_id: str, actor: str
    ) -> None:
        """Take picked units off the slot: one StockMove per line for a run of picks in this batch.

        A picker scanning 4 units sends 4 events; the ledger gets one move of -4 naming the line and the
        events (each event stays in sync_events), as a warehouse posts one movement per confirmed pick task.
        A run ends when anything else moves the slot's stock (an undo, a short), so the ledger keeps order.
        """
        queue, rows = self.queue, self.rows
        run = queue.open_runs.get(item.id)
        item.on_hand -= units
        if run is None or run.line_id != line_id or run.actor != actor or run.move["order_id"] != order_id:
            note = f"line {line_id}, event {event_id}"
            move = queue.stock_move(item.id, -units, "pick", order_id, note, actor, self.at)
            queue.open_runs[item.id] = run = PickRun(line_id, actor, move, [event_id])
            queue.runs.append(run)
        else:
            run.move["delta"] -= units
            run.event_ids.append(event_id)  # the move's note names the run's events when it is written
        if not rows.stock_locked:
            low = item.on_hand - rows.stock.as_read(item.id)[0]
            if low < rows.stock_low.get(item.id, 0):
                rows.stock_low[item.id] = low

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
        self.queue.order_events.append(
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


Handler = Callable[[BatchContext, w.PushEvent], Outcome]


def write_rows(ctx: BatchContext) -> None:
    """Write the changed rows of this batch so far (in lock order); SQL read after this sees them."""
    s = ctx.session
    s.flush()  # the station row, and a re-allocation's new work unit
    rows = ctx.rows
    with pipelined(s):  # one round trip for all of them on PostgreSQL
        rows.lines.write(s)
        rows.orders.write(s)
        rows.order_lines.write(s)
        if rows.stock_locked:  # else as deltas when the batch ends (effects_stock)
            rows.stock.write(s)
        rows.reservations.write(s)
        rows.units.write(s)
        rows.work_orders.write(s)
    rows.reservations.insert_new(s)


def write(ctx: BatchContext) -> None:
    """Insert the queued rows and write the changed ones (one statement or COPY per table).

    The ledgers go in first: their foreign-key checks then find the stock items and orders as this
    transaction locked them (its FOR UPDATE covers the check's key-share lock), where after the UPDATE each
    check locks the new row version once more (~15 % of the ledgers' insert time in the bench).
    """
    s = ctx.session
    s.flush()  # the station row, and a re-allocation's new work unit or slot, which new rows may name
    queue = ctx.queue
    insert_rows(s, StockMove, queue.stock_moves_noted())
    insert_rows(s, OrderEvent, queue.order_events)
    insert_rows(s, FloorException, queue.exceptions)
    insert_rows(s, CountTask, queue.count_tasks)
    write_rows(ctx)


def lease_problem(ctx: BatchContext, ev: w.PushEvent) -> tuple[LineRow | None, Outcome | None]:
    """The leased line of `ev`, or the outcome that says why the event cannot act on it (S8 fencing)."""
    if ev.lease is None:
        return None, rejected("no_lease", f"{ev.type} must name the line and lease token it acts under")
    line_id = as_int(ev.lease.line_id)
    line = ctx.rows.lines.get(line_id) if line_id is not None else None
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
