"""Pick actions besides scans: typed quantity, short pick, skip, undo, cancel, pause and resume, close totes.

Each takes the work unit and the context like the scan verdicts in app.domain.picking, and answers a Verdict.
"""

from __future__ import annotations

from app.domain.events import (
    CountTaskRequested,
    Event,
    LineShorted,
    LineSkipped,
    ScanUndone,
    ToteClosed,
    ToteLine,
    WorkPaused,
    WorkResumed,
)
from app.domain.picking import SHORT_HINT, PickContext, accept, line_for_action, refuse
from app.domain.work import LineStatus, ShortReason, Verdict, WorkState, WorkUnit


def enter_quantity(unit: WorkUnit, qty: int, ctx: PickContext) -> Verdict:
    """A typed quantity for bulk: the next scan of the right product counts `qty` units."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line = checked
    if not line.location_confirmed:
        return refuse(unit, "location_first", f"Scan the location first: {line.location}.", line, hint=False)
    if qty < 1:
        return refuse(unit, "bad_quantity", "Quantity must be at least 1.", line)
    if qty > line.remaining:
        return refuse(
            unit, "over_pick", f"Too many: {qty} typed, only {line.remaining} more {line.label} needed.", line
        )
    unit.typed_qty = qty
    return accept(unit, "quantity_entered", f"Quantity {qty} entered.", [], line)


def request_short(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """First step of a short pick: the reason must be confirmed by a second scan (or the UI's modal)."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    if unit.pending_put is not None:
        return refuse(unit, "put_first", "Put the units already taken into their tote first.", checked)
    unit.awaiting_short_reason = True
    return accept(unit, "short_requested", "Short pick.", [], checked)


def short_line(unit: WorkUnit, reason: ShortReason, ctx: PickContext) -> Verdict:
    """Close the current line short: records the reason, the missing quantity and a count task."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line = checked
    if unit.pending_put is not None:
        return refuse(unit, "put_first", "Put the units already taken into their tote first.", line)
    missing = line.remaining
    unit.awaiting_short_reason = False
    unit.typed_qty = None
    line.status, line.short_reason = LineStatus.SHORTED, reason.value
    line.steps.clear()
    events: list[Event] = [
        LineShorted(
            line_id=line.line_id,
            order_id=line.order_id,
            sku=line.sku,
            location=line.location,
            reason=reason.value,
            picked=line.picked,
            missing=missing,
            qty=line.qty,
        ),
        CountTaskRequested(
            line_id=line.line_id,
            order_id=line.order_id,
            location=line.location,
            sku=line.sku,
            reason=reason.value,
        ),
    ]
    why = reason.value.replace("_", " ")
    msg = (
        f"Short recorded ({why}): {line.label} {line.picked} of {line.qty}, {missing} missing. "
        f"A count task goes to {line.location}."
    )
    return accept(unit, "line_shorted", msg, events, line)


def skip_line(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """Move the current line to the end of the route; it must still be picked."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line = checked
    if unit.pending_put is not None:
        return refuse(unit, "put_first", "Put the units already taken into their tote first.", line)
    open_lines = [i for i in unit.route if unit.line(i).status is LineStatus.OPEN]
    if len(open_lines) == 1:
        return refuse(
            unit,
            "last_line",
            f"Nothing to skip to: this is the last open line. {SHORT_HINT.capitalize()}.",
            line,
            hint=False,
        )
    unit.route.remove(line.line_id)
    unit.route.append(line.line_id)
    line.location_confirmed, unit.typed_qty = False, None
    line.steps.clear()
    ev = LineSkipped(line_id=line.line_id, order_id=line.order_id, location=line.location)
    return accept(
        unit,
        "line_skipped",
        f"Skipped {line.label} at {line.location}; it comes back at the end.",
        [ev],
        line,
    )


def undo_last(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """Take back the last accepted scan on the current line, as long as the line is not confirmed."""
    line = unit.current_line() if unit.state is WorkState.PICKING else None
    if line is None:
        return refuse(unit, "nothing_to_undo", "Nothing to undo.")
    if unit.awaiting_short_reason or unit.typed_qty:
        return cancel_pending(unit, ctx)
    if unit.pending_put is not None:
        put, unit.pending_put = unit.pending_put, None
        ev = ScanUndone(line_id=line.line_id, order_id=line.order_id, step="verified", units=put.units)
        return accept(unit, "undone", f"Undone: {put.units} × {line.label} not put in a tote.", [ev], line)
    if not line.steps:
        return refuse(
            unit, "nothing_to_undo", "Nothing to undo on this line (a confirmed line cannot be undone)."
        )
    step = line.steps.pop()
    if step.kind == "units":
        line.picked -= step.units
        msg = f"Undone: {step.units} × {line.label}; {line.picked} of {line.qty} taken."
    else:
        line.location_confirmed = False
        msg = f"Undone: location {line.location} no longer confirmed."
    ev = ScanUndone(
        line_id=line.line_id,
        order_id=line.order_id,
        step=step.kind,
        units=step.units or None,
        picked=line.picked,
    )
    return accept(unit, "undone", msg, [ev], line)


def cancel_pending(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """Cancel what waits for confirmation: a short pick, a typed quantity, or units not yet put in a tote."""
    line = unit.current_line()
    if unit.awaiting_short_reason or unit.typed_qty:
        unit.awaiting_short_reason, unit.typed_qty = False, None
        return accept(unit, "cancelled", "Cancelled.", [], line)
    if unit.pending_put is not None:
        return undo_last(unit, ctx)
    return refuse(unit, "nothing_to_cancel", "Nothing to cancel.")


def pause(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """Pause picking: nothing is recorded until resume."""
    if unit.state not in (WorkState.PICKING, WorkState.AWAITING_TOTES):
        return refuse(unit, "cannot_pause", f"Cannot pause now ({unit.state.value}).")
    unit.state = WorkState.PAUSED
    ev = WorkPaused(work_id=unit.work_id)
    return accept(unit, "paused", f"Paused work {unit.work_id}.", [ev], None)


def resume(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """Resume after a pause, where the picker stopped."""
    if unit.state is not WorkState.PAUSED:
        return refuse(unit, "not_paused", "Not paused.")
    unit.state = WorkState.AWAITING_TOTES if unit.order_waiting_for_tote() else WorkState.PICKING
    if unit.state is WorkState.PICKING and unit.current_line() is None:
        unit.state = WorkState.DONE
    ev = WorkResumed(work_id=unit.work_id)
    return accept(unit, "resumed", "Resumed.", [ev], None)


def close_totes(unit: WorkUnit, ctx: PickContext) -> Verdict:
    """When every line is done: close the tote(s) and hand them to packing."""
    if unit.state is WorkState.PICKING and unit.current_line() is None:
        unit.state = WorkState.DONE
    if unit.state is not WorkState.DONE:
        done, total = unit.progress()
        return refuse(unit, "not_done", f"Not done yet: {total - done} of {total} lines still open.")
    unit.state = WorkState.CLOSED
    events: list[Event] = []
    for order_id in unit.orders:
        lines = [
            ToteLine(ln.line_id, ln.sku, ln.picked, ln.status.value)
            for ln in unit.lines
            if ln.order_id == order_id
        ]
        events.append(
            ToteClosed(
                work_id=unit.work_id,
                order_id=order_id,
                tote=unit.totes.get(order_id),
                lines=tuple(lines),
            )
        )
    totes = ", ".join(unit.totes.get(o, "?") for o in unit.orders)
    return accept(unit, "totes_closed", f"Closed tote {totes}: take it to packing.", events, None)
