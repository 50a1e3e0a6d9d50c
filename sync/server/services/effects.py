"""Business effects of a batch of pushed events: the rows they touch, locked and loaded once per batch, and
the rows they add, written once per batch (executemany), so a 500-event push costs a handful of round trips.

Handlers (sync.server.services.effects_pick and effects_pack) only validate and mutate loaded rows or queue
new ones. A handler that finds a problem returns a rejected or conflict outcome *before* changing anything,
so one event's problem never leaves another half-applied (S4).

Lock order, the same in every writer of these tables: work lines, orders, order lines, stock items,
reservations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.errors import IllegalTransition
from app.domain.order_status import OrderStatus
from sync import schemas as w
from sync.server.models import (
    CountTask,
    FloorException,
    Order,
    OrderLine,
    Station,
    StockItem,
    StockMove,
    StockReservation,
    WorkLine,
    WorkOrder,
    WorkUnit,
)
from sync.server.models.base import utcnow
from sync.server.services import events as order_events
from sync.server.services.bulk import insert_rows


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the server made of one event (S4: every well-formed event gets one and advances last_seq)."""

    outcome: w.Outcome
    reason: str | None = None


ACCEPTED = Outcome("accepted")


def rejected(code: str, text: str) -> Outcome:
    return Outcome("rejected_recorded", f"{code}: {text}")


def conflict(code: str, text: str) -> Outcome:
    return Outcome("accepted_conflict", f"{code}: {text}")


def as_int(value: Any) -> int | None:
    """An id from the wire ('12', 12 or 'ORD-12'), or None."""
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = value.upper().removeprefix("ORD-")
        return int(digits) if digits.isdigit() else None
    return None


@dataclass
class BatchContext:
    """The rows a batch of events acts on, and the rows it will add."""

    session: Session
    station: Station
    now: float
    wrong_item_streak: int
    lines: dict[int, WorkLine] = field(default_factory=dict)
    orders: dict[int, Order] = field(default_factory=dict)
    order_lines: dict[int, OrderLine] = field(default_factory=dict)
    stock: dict[int, StockItem] = field(default_factory=dict)
    reservations: dict[tuple[int, int], StockReservation] = field(default_factory=dict)
    work_orders: dict[tuple[int, int], WorkOrder] = field(default_factory=dict)
    units: dict[int, WorkUnit] = field(default_factory=dict)
    moves: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    count_tasks: list[dict[str, Any]] = field(default_factory=list)
    changes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def station_id(self) -> str:
        return self.station.station_id

    def actor(self, payload: dict[str, Any]) -> str:
        op = payload.get("operator")
        return f"station:{self.station_id}" + (f"/{op}" if op else "")

    def flag(self, kind: str, message: str, payload: dict[str, Any], **data: Any) -> None:
        """Queue an exception for the supervisor."""
        self.exceptions.append(
            {
                "kind": kind,
                "station_id": self.station_id,
                "operator": str(payload.get("operator") or ""),
                "order_id": as_int(payload.get("order_id")),
                "line_id": as_int(payload.get("line_id")),
                "message": message[:1000],
                "data": data,
                "acknowledged": False,
                "acknowledged_by": "",
                "created_at": utcnow(),
            }
        )

    def move_stock(
        self, item: StockItem, delta: int, reason: str, order_id: int | None, note: str, actor: str
    ):
        """Change on-hand stock and queue its StockMove row (every change of stock carries a reason)."""
        item.on_hand += delta
        self.moves.append(
            {
                "stock_item_id": item.id,
                "delta": delta,
                "reason": reason,
                "order_id": order_id,
                "note": note[:500],
                "actor": actor[:100],
                "at": utcnow(),
            }
        )

    def advance(self, order: Order, path: Sequence[OrderStatus], message: str, actor: str) -> str | None:
        """Walk the order along `path` from where it is (skipping steps passed); a reason when it cannot."""
        current = OrderStatus(order.status)
        if current in path:
            path = path[path.index(current) + 1 :]
        try:
            for target in path:
                order_events.move(self.session, order, target, message, actor=actor)
        except IllegalTransition as exc:
            return exc.message
        return None


def _ids(values: Sequence[Any]) -> list[int]:
    return sorted({i for v in values if (i := as_int(v)) is not None})


def load(ctx: BatchContext, events: Sequence[w.PushEvent]) -> None:
    """Lock and load everything `events` may touch, in the global lock order."""
    s = ctx.session
    line_ids = _ids([e.lease.line_id for e in events if e.lease])
    closing = _ids([e.payload.get("order_id") for e in events if e.type == "ToteClosed"])
    work_ids = _ids([e.payload.get("work_id") for e in events if e.type in ("ToteAssigned", "ToteClosed")])
    if line_ids or closing:
        cond = or_(WorkLine.id.in_(line_ids), WorkLine.order_id.in_(closing))
        ctx.lines = {
            ln.id: ln
            for ln in s.scalars(select(WorkLine).where(cond).order_by(WorkLine.id).with_for_update())
        }
    order_ids = sorted(
        {ln.order_id for ln in ctx.lines.values()}
        | set(_ids([e.payload.get("order_id") for e in events if not e.lease]))
    )
    if order_ids:
        ctx.orders = {
            o.id: o
            for o in s.scalars(
                select(Order).where(Order.id.in_(order_ids)).order_by(Order.id).with_for_update()
            )
        }
    ol_ids = sorted({ln.order_line_id for ln in ctx.lines.values()})
    if ol_ids:
        ctx.order_lines = {
            ol.id: ol
            for ol in s.scalars(
                select(OrderLine).where(OrderLine.id.in_(ol_ids)).order_by(OrderLine.id).with_for_update()
            )
        }
    stock_ids = sorted({ln.stock_item_id for ln in ctx.lines.values() if ln.stock_item_id is not None})
    if stock_ids:
        ctx.stock = {
            si.id: si
            for si in s.scalars(
                select(StockItem).where(StockItem.id.in_(stock_ids)).order_by(StockItem.id).with_for_update()
            )
        }
        ctx.reservations = {
            (r.order_line_id, r.stock_item_id): r
            for r in s.scalars(
                select(StockReservation)
                .where(
                    StockReservation.order_line_id.in_(ol_ids), StockReservation.stock_item_id.in_(stock_ids)
                )
                .order_by(StockReservation.id)
                .with_for_update()
            )
        }
    if work_ids:
        ctx.units = {u.id: u for u in s.scalars(select(WorkUnit).where(WorkUnit.id.in_(work_ids)))}
        ctx.work_orders = {
            (wo.work_id, wo.order_id): wo
            for wo in s.scalars(select(WorkOrder).where(WorkOrder.work_id.in_(work_ids)))
        }


Handler = Callable[[BatchContext, w.PushEvent], Outcome]


def write(ctx: BatchContext) -> None:
    """Flush changed rows and insert the queued ones (one executemany per table)."""
    s = ctx.session
    s.flush()
    insert_rows(s, StockMove, ctx.moves)
    insert_rows(s, FloorException, ctx.exceptions)
    insert_rows(s, CountTask, ctx.count_tasks)


def lease_problem(ctx: BatchContext, ev: w.PushEvent) -> tuple[WorkLine | None, Outcome | None]:
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
