"""Effects of tote and packer events: totes assigned and closed (order picked), packing started and verified,
sealed (order packed) with overrides and weight mismatches recorded for the supervisor; pack events for an
order another bench holds are conflicts (services.pack_claims).
"""

from __future__ import annotations

from typing import Any

from app.domain.order_status import OrderStatus
from app.domain.work import LineStatus, WorkUnitStatus
from app.server.work.pack_claims import other_holders
from sync import schemas as w
from sync.ingest.effects import (
    ACCEPTED,
    BatchContext,
    Malformed,
    Outcome,
    as_int,
    conflict,
    rejected,
)
from sync.ingest.effects_pick import status_after_picking
from sync.ingest.effects_rows import OrderRow

S = OrderStatus
OPEN = LineStatus.OPEN.value  # as the rows hold it


def _order(ctx: BatchContext, payload: dict[str, Any]) -> OrderRow:
    order_id = as_int(payload.get("order_id"))
    order = ctx.rows.orders.get(order_id) if order_id is not None else None
    if order is None:
        raise Malformed(f"order {payload.get('order_id')!r} is not known on the server")
    return order


def tote_assigned(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    p = ev.payload
    work_id, order = as_int(p.get("work_id")), _order(ctx, p)
    unit = ctx.rows.units.get(work_id) if work_id is not None else None
    wo = ctx.rows.work_order(work_id, order.id)
    if unit is None or wo is None:
        return rejected("unknown_work", f"order {order.id} is not in work {p.get('work_id')}")
    if unit.station_id != ctx.station_id:
        return conflict("not_holder", f"work {unit.id} is now with station {unit.station_id}")
    wo.tote = str(p.get("tote") or "")[:64] or None
    return ACCEPTED


def tote_closed(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    """The picker closed the tote: the order is picked once none of its lines is still open anywhere (or
    backordered when a short left units unfilled)."""
    p = ev.payload
    work_id, order = as_int(p.get("work_id")), _order(ctx, p)
    wo = ctx.rows.work_order(work_id, order.id)
    if wo is None:
        return rejected("unknown_work", f"order {order.id} is not in work {p.get('work_id')}")
    unit = ctx.rows.units[wo.work_id]
    if unit.station_id != ctx.station_id:
        return conflict("not_holder", f"work {unit.id} is now with station {unit.station_id}")
    wo.closed = True
    if p.get("tote"):
        wo.tote = str(p["tote"])[:64]
    lines = ctx.rows.lines.values()
    own = [ln for ln in lines if ln.work_id == unit.id]
    if own and all(ln.status != OPEN for ln in own):
        unit.status = WorkUnitStatus.DONE.value
    still_open = [ln for ln in lines if ln.order_id == order.id and ln.status == OPEN]
    if still_open:
        return ACCEPTED  # re-allocated or unpicked lines elsewhere: the order is picked when they are done
    target = status_after_picking(ctx, order)
    if target is S.PICKING:
        return ACCEPTED  # a short's remainder was re-allocated just now
    note = "" if target is S.PICKED else "; a short left units unfilled: waiting for stock (ship complete)"
    why = ctx.advance(
        order, [S.RELEASED, S.PICKING, target], f"Picked into tote {wo.tote}{note}", ctx.actor(p)
    )
    if why:
        ctx.flag("pick_rejected", f"Tote {wo.tote} closed for order {order.reference}: {why}", p)
        return rejected("order_state", why)
    return ACCEPTED


def _packed_elsewhere(ctx: BatchContext, ev: w.PushEvent, order: OrderRow) -> Outcome | None:
    """A conflict when another bench holds the order for packing (a revoked or overtaken hold).

    Who else holds the batch's orders is read once, at the first pack event: a hold is taken, taken over
    or revoked only under its order's row lock (services.pack_claims, and other stations' pushes), and
    this batch holds those locks until it commits, so the answer cannot change under it.
    """
    rows = ctx.rows
    if rows.pack_holders is None:
        rows.pack_holders = other_holders(ctx.session, list(rows.orders), ctx.station_id)
    other = rows.pack_holders.get(order.id)
    if other is None:
        return None
    text = f"order {order.reference} is being packed at station {other}; nothing was applied"
    ctx.flag("sync_conflict", f"{ev.type} from {ctx.station_id}: {text}.", ev.payload, holder=other)
    return conflict("packed_elsewhere", text)


def pack_started(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    order = _order(ctx, ev.payload)
    if clash := _packed_elsewhere(ctx, ev, order):
        return clash
    if not ctx.station.current_order:  # a late event never takes the bench off the order it claimed since
        ctx.station.current_order = str(order.id)
    why = ctx.advance(order, [S.PICKED, S.PACKING], "Packing started", ctx.actor(ev.payload))
    return rejected("order_state", why) if why else ACCEPTED


def unit_verified(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    order = _order(ctx, ev.payload)
    if clash := _packed_elsewhere(ctx, ev, order):
        return clash
    ctx.station.wrong_item_streak = 0
    if order.status == S.PICKED.value:
        ctx.advance(order, [S.PICKED, S.PACKING], "Packing started", ctx.actor(ev.payload))
    return ACCEPTED


def seal_overridden(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    p = ev.payload
    order = _order(ctx, p)
    supervisor, reason = str(p.get("supervisor") or ""), str(p.get("reason") or "")
    problems = [str(x) for x in p.get("problems") or []]
    ctx.record(
        order,
        "seal.overridden",
        f"Sealed with override by {supervisor}: {reason}",
        ctx.actor(p),
        data={"supervisor": supervisor, "reason": reason, "problems": problems},
    )
    ctx.flag(
        "override",
        f"Order {order.reference} sealed with an override by {supervisor} ({reason}): " + "; ".join(problems),
        p,
        supervisor=supervisor,
        reason=reason,
        problems=problems,
    )
    if any("weight" in x for x in problems):
        ctx.flag(
            "weight_mismatch",
            f"Order {order.reference}: " + "; ".join(x for x in problems if "weight" in x),
            p,
            supervisor=supervisor,
        )
    return ACCEPTED


def order_sealed(ctx: BatchContext, ev: w.PushEvent) -> Outcome:
    """Sealed: the order is packed and its picked units are in the box."""
    p = ev.payload
    order = _order(ctx, p)
    if clash := _packed_elsewhere(ctx, ev, order):
        return clash
    why = ctx.advance(order, [S.PICKED, S.PACKING, S.PACKED], f"Sealed in box {p.get('box')}", ctx.actor(p))
    if why:
        ctx.flag("pack_rejected", f"Order {order.reference} sealed at {ctx.station_id}: {why}", p)
        return rejected("order_state", why)
    for ol in ctx.rows.order_lines.values():
        if ol.order_id == order.id:
            ol.packed = ol.picked
    if ctx.station.current_order == str(order.id):
        ctx.station.current_order = ""
    return ACCEPTED
