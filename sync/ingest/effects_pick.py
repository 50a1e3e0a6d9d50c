"""Effects of picker events: picks move stock (reason `pick`) and count on the order line; undo takes a pick
back; a short closes the line, writes the missing units off the slot, and re-allocates the rest elsewhere (a
new work unit) or leaves it as a backorder: when the order's last pick is done it waits as BACKORDERED (ship
complete, app.domain.order_status.after_picking) until stock arrives; refused scans feed the wrong-item
streak.
"""

from __future__ import annotations

from collections.abc import Collection

from app.domain.allocation import LineNeed, allocate
from app.domain.order_status import OrderStatus, after_picking
from app.domain.work import CountTaskStatus, LineStatus, WorkKind, WorkUnitStatus
from app.server.orders.models import OrderLine
from app.server.stock.models import StockItem
from app.server.stock.reservations import lock_stock
from app.server.work.models import WorkLine, WorkOrder, WorkUnit
from app.server.work.release import Slot, add_lines
from sync import schemas as w
from sync.ingest.bulk import in_values
from sync.ingest.effects import (
    ACCEPTED,
    BatchContext,
    Malformed,
    Outcome,
    lease_problem,
    rejected,
    write_rows,
)
from sync.ingest.effects_rows import OrderLineRow, OrderRow, ReservationRow, StockRow

S = OrderStatus
_PICKABLE = (S.RELEASED, S.PICKING)
#: the domain's line statuses as the rows hold them (plain text; a module constant also reads faster)
OPEN, PICKED, SHORTED = LineStatus.OPEN.value, LineStatus.PICKED.value, LineStatus.SHORTED.value


def _units(ev: w.PushEvent) -> int:
    units = ev.payload.get("units")
    if not isinstance(units, int) or isinstance(units, bool) or units < 1:
        raise Malformed(f"units must be a positive whole number, got {units!r}")
    return units


def _reserve_back(ctx: BatchContext, ol: OrderLineRow, item: StockRow, units: int) -> None:
    res = ctx.rows.reservations.setdefault((ol.id, item.id), ReservationRow(None, ol.id, item.id, 0))
    res.qty += units
    item.reserved += units
    ol.reserved += units


def _release(ctx: BatchContext, ol: OrderLineRow, item: StockRow, units: int) -> None:
    """Un-reserve up to `units` of the line's reservation on this slot (at 0 the reservation is deleted)."""
    res = ctx.rows.reservations.get((ol.id, item.id))
    take = min(units, res.qty if res else 0)
    if res is not None:
        res.qty -= take
    item.reserved -= take
    ol.reserved -= take


def item_picked(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    line, problem = lease_problem(ctx, ev)
    if problem or line is None:
        return problem or rejected("unknown_line", "no line")
    units = _units(ev)
    rows = ctx.rows
    order, ol = rows.orders[line.order_id], rows.order_lines[line.order_line_id]
    item = rows.stock.get(line.stock_item_id or -1)
    if order.status not in _PICKABLE:
        ctx.flag(
            "pick_rejected",
            f"{units} × {line.sku} picked for order {order.reference}, which is "
            f"{order.status}: put them back.",
            ev.payload,
            event_id=ev.event_id,
        )
        return rejected("order_not_pickable", f"order {order.reference} is {order.status}")
    if line.status != OPEN or line.picked + units > line.qty:
        ctx.flag(
            "pick_rejected",
            f"Over-pick on line {line.id}: {line.picked} of {line.qty} {line.sku} "
            f"already picked, {units} more reported.",
            ev.payload,
            event_id=ev.event_id,
        )
        return rejected("over_pick", f"line {line.id} has {line.qty - line.picked} left, {units} reported")
    if item is None or item.on_hand < units:
        if item is not None:
            ctx.need_stock_locks()  # only a slot read under its lock may refuse a pick
        held = item.on_hand if item else 0
        ctx.flag(
            "stock_mismatch",
            f"{units} × {line.sku} picked at {line.location}, where the server counts "
            f"{held}: count the location.",
            ev.payload,
            event_id=ev.event_id,
        )
        return rejected("stock_mismatch", f"{line.location} holds {held} {line.sku} on the server")
    actor = ctx.actor(ev.payload)
    _release(ctx, ol, item, units)
    ctx.pick_stock(item, units, order.id, line.id, ev.event_id, actor)
    line.picked += units
    ol.picked += units
    if line.picked == line.qty:
        line.status = PICKED
    if ctx.station.wrong_item_streak:  # (an ORM attribute: setting it costs, even to the same value)
        ctx.station.wrong_item_streak = 0
    ctx.advance(order, [S.RELEASED, S.PICKING], "Picking started", actor)
    return ACCEPTED


def scan_undone(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    if ev.payload.get("step") != "units":
        return ACCEPTED  # a location confirmation or an unput cluster item: nothing moved on the server
    line, problem = lease_problem(ctx, ev)
    if problem or line is None:
        return problem or rejected("unknown_line", "no line")
    units = _units(ev)
    if units > line.picked:
        return rejected("undo_too_much", f"line {line.id} has {line.picked} picked, undo of {units} reported")
    ol, item = ctx.rows.order_lines[line.order_line_id], ctx.rows.stock.get(line.stock_item_id or -1)
    if item is None:
        return rejected("unknown_stock", f"line {line.id} has no stock slot")
    ctx.move_stock(
        item,
        units,
        "pick",
        line.order_id,
        f"undo on line {line.id}, event {ev.event_id}",
        ctx.actor(ev.payload),
    )
    _reserve_back(ctx, ol, item, units)
    line.picked -= units
    ol.picked -= units
    line.status = OPEN
    return ACCEPTED


def line_shorted(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    line, problem = lease_problem(ctx, ev)
    if problem or line is None:
        return problem or rejected("unknown_line", "no line")
    if line.status != OPEN:
        return rejected("line_closed", f"line {line.id} is already {line.status}")
    # the batch holds its stock slots locked (specs: LineShorted locks_stock): the short writes off what the
    # slot holds, and re-allocates from other slots
    order, ol = ctx.rows.orders[line.order_id], ctx.rows.order_lines[line.order_line_id]
    item = ctx.rows.stock.get(line.stock_item_id or -1)
    missing, actor = line.qty - line.picked, ctx.actor(ev.payload)
    reason = str(ev.payload.get("reason") or "not_found")
    line.status = SHORTED
    if item is not None:
        _release(ctx, ol, item, missing)
        gone = min(missing, item.on_hand - item.reserved)
        if gone > 0:
            ctx.move_stock(item, -gone, "short", order.id, f"{reason} on line {line.id}", actor)
    pickable = OrderStatus(order.status) in _PICKABLE
    moved = reallocate(ctx, ol, {line.stock_item_id}, order.priority_rank) if pickable else 0
    left = missing - moved
    text = f"Short on {line.sku} at {line.location} ({reason}): {missing} missing for order {order.reference}"
    if pickable:
        ctx.advance(order, [S.RELEASED, S.PICKING], "Picking started", actor)
    if left:
        text += f"; {left} could not be found elsewhere and wait as a backorder"
        ctx.record(
            order,
            "line.backordered",
            f"{line.sku} short by {left}",
            actor,
            data={"sku": line.sku, "qty": left},
        )
    elif moved:
        text += f"; re-allocated to another location ({moved})"
    ctx.flag(
        "short" if not left else "short_unfilled",
        text + ".",
        {**ev.payload, "order_id": order.id},  # a backorder's exception is closed by order when stock arrives
        sku=line.sku,
        location=line.location,
        reason=reason,
        missing=missing,
        backordered=left,
    )
    return ACCEPTED


def status_after_picking(ctx: BatchContext, order: OrderRow) -> OrderStatus:
    """The order's last open pick is done: PICKED, or units a short left unfilled are re-allocated (PICKING,
    new work is open) or the order waits as BACKORDERED (ship complete)."""
    mine = [ol for ol in ctx.rows.order_lines.values() if ol.order_id == order.id]
    unfilled = [ol for ol in mine if ol.qty > ol.picked + ol.reserved]
    if not unfilled or OrderStatus(order.status) not in _PICKABLE:
        return after_picking(0)  # a cancelled or held order: the state machine refuses, nothing re-allocated
    shorted = {
        ln.stock_item_id for ln in ctx.rows.lines.values() if ln.order_id == order.id and ln.status == SHORTED
    }
    if sum(reallocate(ctx, ol, shorted, order.priority_rank) for ol in unfilled):
        return S.PICKING  # stock arrived since the short: the remainder is new work
    return after_picking(sum(ol.qty - ol.picked - ol.reserved for ol in mine))


def reallocate(
    ctx: BatchContext, ol: OrderLineRow, short_slots: Collection[int | None], priority_rank: int
) -> int:
    """Reserve the line's open quantity at other slots, as a new work unit; returns the units re-allocated."""
    s = ctx.session
    need = ol.qty - ol.reserved - ol.picked
    if need <= 0:
        return 0
    ctx.need_stock_locks()
    write_rows(ctx)  # lock_stock reads stock with SQL: it must see this batch's changes
    candidates = [sl for sl in lock_stock(s, [ol.product_id]).slots if sl.slot_id not in short_slots]
    found = allocate([LineNeed(ol.id, ol.sku, need)], candidates, today=ctx.today).reservations
    if not found:
        return 0
    by_id = {sl.slot_id: sl for sl in candidates}
    unit = WorkUnit(
        kind=WorkKind.SINGLE.value,
        priority_rank=priority_rank,
        status=WorkUnitStatus.OPEN.value,
        operator="",
        created_at=ctx.at,
    )
    s.add(unit)
    s.flush()
    s.add(WorkOrder(work_id=unit.id, order_id=ol.order_id, closed=False))
    unseen = [r.slot_id for r in found if r.slot_id not in ctx.rows.stock]
    if unseen:  # locked by lock_stock above
        ctx.rows.stock.read(s, in_values(s, StockItem.id, unseen), lock=False)
    picks = []
    for r in found:
        item = ctx.rows.stock[r.slot_id]
        _reserve_back(ctx, ol, item, r.qty)
        sl = by_id[r.slot_id]
        picks.append(Slot(ol.id, item.id, r.qty, sl.location, sl.sequence, sl.lot))
    new_lines = add_lines(s, unit, [s.get_one(OrderLine, ol.id)], {ol.id: picks})
    s.flush()
    # a tote closed later in this batch must see the order's new open line
    ctx.rows.lines.read(s, in_values(s, WorkLine.id, [new.id for new in new_lines]), lock=False)
    return sum(r.qty for r in found)


def count_task_requested(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    p = ev.payload
    location, sku = p.get("location"), p.get("sku")
    if not isinstance(location, str) or not location:
        raise Malformed("location is missing")
    ctx.queue.count_tasks.append(
        {
            "location": location[:64],
            "sku": str(sku or "")[:64],
            "reason": str(p.get("reason") or "")[:32],
            "station_id": ctx.station_id,
            "operator": str(p.get("operator") or "")[:64],
            "event_id": ev.event_id,
            "status": CountTaskStatus.OPEN.value,
            "created_at": ctx.at,
        }
    )
    return ACCEPTED


def scan_refused(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    """A refused scan is a physical fact: recorded; repeated wrong items go to the supervisor."""
    if ev.payload.get("code") != "wrong_item":
        return ACCEPTED
    st = ctx.station
    st.wrong_item_streak += 1
    if st.wrong_item_streak == ctx.wrong_item_streak:
        ctx.flag(
            "wrong_item_streak",
            f"{st.wrong_item_streak} wrong items in a row at {st.station_id}: "
            f"{ev.payload.get('message', '')}",
            ev.payload,
            event_id=ev.event_id,
        )
    return ACCEPTED


def signed_in(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    ctx.station.current_operator = str(ev.payload.get("badge") or "")[:64]
    return ACCEPTED


def signed_out(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    ctx.station.current_operator = ""
    return ACCEPTED
