"""Pick verification: the verdict of every scan and action a picker makes on a work unit.

Each function changes the `WorkUnit` only when it accepts, and returns a `Verdict` whose message says what
happened, what was expected and what to do next (docs/floor.md, "Messages to operators"). Refusals carry a
`ScanRefused` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.events import Event, ItemPicked, ItemVerified, LocationConfirmed, ScanRefused, ToteAssigned
from app.domain.scanning import ProductScan
from app.domain.work import (
    Expect,
    ExpectKind,
    LineStatus,
    PendingPut,
    PickLine,
    Step,
    Verdict,
    WorkKind,
    WorkState,
    WorkUnit,
)

SHORT_HINT = "or press S to report short"


@dataclass(frozen=True, slots=True)
class PickContext:
    """What a verdict needs besides the work: the boot clock (for leases) and today (for expiry)."""

    boot_now: float
    today: date


def expect_next(unit: WorkUnit) -> Expect:
    """What the picker must scan next, with the location, product and quantity where they apply."""
    if unit.state is WorkState.PAUSED:
        return Expect(ExpectKind.RESUME, "Paused. Scan CMD-RESUME (or press R) to continue.")
    if unit.state is WorkState.CLOSED:
        return Expect(
            ExpectKind.WORK, f"Work {unit.work_id} is closed. Take the totes to packing; scan your badge."
        )
    if unit.state is WorkState.AWAITING_TOTES:
        order_id = unit.order_waiting_for_tote()
        n, total = len(unit.totes) + 1, len(unit.orders)
        count = f" ({n} of {total})" if total > 1 else ""
        return Expect(ExpectKind.TOTE, f"Scan an empty tote for order {order_id}{count}.", order_id=order_id)
    if unit.state is WorkState.DONE or unit.current_line() is None:
        totes = ", ".join(unit.totes[o] for o in unit.orders if o in unit.totes)
        return Expect(ExpectKind.CLOSE, f"All lines done. Scan CMD-DONE to close tote {totes}.")
    line = unit.current_line()
    assert line is not None
    if unit.awaiting_short_reason:
        prompt = (
            f"Short on {line.label} at {line.location}: scan the reason (CMD-NOTFOUND, CMD-DAMAGED, "
            "CMD-QTYWRONG) or CMD-CANCEL."
        )
        return Expect(
            ExpectKind.SHORT_REASON,
            prompt,
            qty=line.remaining,
            location=line.location,
            sku=line.sku,
            product=line.product_name,
        )
    if unit.pending_put is not None:
        tote = unit.totes[line.order_id]
        prompt = f"Put {unit.pending_put.units} × {line.label} into tote {tote} (order {line.order_id})."
        return Expect(
            ExpectKind.PUT,
            prompt,
            tote=tote,
            order_id=line.order_id,
            qty=line.remaining,
            location=line.location,
            sku=line.sku,
            product=line.product_name,
        )
    if not line.location_confirmed:
        prompt = f"Go to {line.location} and scan the location label ({line.remaining} × {line.label})."
        return Expect(
            ExpectKind.LOCATION,
            prompt,
            qty=line.remaining,
            location=line.location,
            sku=line.sku,
            product=line.product_name,
        )
    if unit.typed_qty:
        prompt = f"Scan {line.label} once to take {unit.typed_qty}."
    else:
        prompt = f"Take {line.remaining} × {line.label} from {line.location}; scan each unit."
    return Expect(
        ExpectKind.PRODUCT,
        prompt,
        tote=unit.totes.get(line.order_id),
        qty=line.remaining,
        location=line.location,
        sku=line.sku,
        product=line.product_name,
    )


def accept(unit: WorkUnit, code: str, message: str, events: list[Event], line: PickLine | None) -> Verdict:
    """An accepted verdict: marks the work done when no line is left, and appends what comes next."""
    if unit.state is WorkState.PICKING and unit.current_line() is None:
        unit.state = WorkState.DONE
    expect = expect_next(unit)
    text = f"{message} Next: {expect.prompt}" if expect.prompt not in message else message
    return Verdict(
        True,
        code,
        text,
        expect,
        tuple(events),
        line.line_id if line else None,
        line.order_id if line else None,
    )


def refuse(
    unit: WorkUnit | None,
    code: str,
    message: str,
    line: PickLine | None = None,
    *,
    hint: bool = True,
    expect: Expect | None = None,
    order_id: str | None = None,
) -> Verdict:
    """The one refusal builder: nothing changes but the record of it (a `ScanRefused` event).

    On a work unit the refusal names its current line and says what the unit expects next; outside any work
    (not signed in, no order open, an unknown label) pass `unit=None` with the `expect` to show. `hint`
    appends what is expected next unless the message already says it.
    """
    if unit is not None:
        line = line or (unit.current_line() if unit.state is WorkState.PICKING else None)
        expect = expect or expect_next(unit)
    assert expect is not None, "a refusal outside any work says what to do instead"
    text = f"{message} {expect.prompt}" if hint and expect.prompt not in message else message
    refused = ScanRefused(
        code=code,
        message=text,
        line_id=line.line_id if line else None,
        order_id=order_id if order_id is not None else (line.order_id if line else None),
    )
    return Verdict(
        False,
        code,
        text,
        expect,
        (refused,),
        line.line_id if line else None,
        line.order_id if line else order_id,
    )


def line_for_action(unit: WorkUnit, ctx: PickContext) -> PickLine | Verdict:
    """The current line if scans may be recorded against it now, else the refusal saying why not."""
    if unit.state is WorkState.PAUSED:
        return refuse(unit, "paused", "Paused: nothing is recorded while paused.")
    if unit.state is WorkState.AWAITING_TOTES:
        return refuse(unit, "tote_first", "Scan the tote(s) first.")
    line = unit.current_line()
    if unit.state in (WorkState.DONE, WorkState.CLOSED) or line is None:
        return refuse(unit, "work_done", "Nothing left to pick here.")
    if line.lease.expired(ctx.boot_now):
        return refuse(
            unit,
            "lease_expired",
            f"Lease expired on {line.label} at {line.location}: this line may now be with another station. "
            "Reconnect and sync before picking it; nothing was recorded.",
            line,
            hint=False,
        )
    return line


def scan_tote(unit: WorkUnit, code: str, ctx: PickContext) -> Verdict:
    """A tote: assigns it to the next order at the start, or confirms a put-to-tote in cluster picking."""
    if unit.state is WorkState.AWAITING_TOTES:
        order_id = unit.order_waiting_for_tote()
        assert order_id is not None
        if code in unit.totes.values():
            owner = next(o for o, t in unit.totes.items() if t == code)
            return refuse(unit, "tote_in_use", f"Tote {code} is already on this cart for order {owner}.")
        unit.totes[order_id] = code
        if unit.order_waiting_for_tote() is None:
            unit.state = WorkState.PICKING
        ev = ToteAssigned(work_id=unit.work_id, order_id=order_id, tote=code)
        return accept(unit, "tote_assigned", f"Tote {code} is for order {order_id}.", [ev], None)
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line, put = checked, unit.pending_put
    if put is None:
        return refuse(unit, "unexpected_tote", f"Tote {code} scanned, but no units wait for a tote.")
    expected = unit.totes[line.order_id]
    if code != expected:
        holder = next((o for o, t in unit.totes.items() if t == code), None)
        whose = f" (order {holder})" if holder else " (not on this cart)"
        return refuse(
            unit,
            "wrong_tote",
            f"Wrong tote: scanned {code}{whose}. Put {put.units} × {line.label} into {expected} "
            f"(order {line.order_id}).",
            line,
            hint=False,
        )
    unit.pending_put = None
    return _take(unit, line, put.units, put.lot, None, expected)


def scan_location(unit: WorkUnit, code: str, ctx: PickContext) -> Verdict:
    """A location label: confirms the current line's location, or says where to go instead."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line = checked
    if unit.pending_put is not None:
        return refuse(unit, "put_first", "Put the units in the tote first.", line)
    if code != line.location:
        return refuse(
            unit,
            "wrong_location",
            f"Wrong location: scanned {code}. Go to {line.location} for {line.label}.",
            line,
            hint=False,
        )
    if line.location_confirmed:
        return accept(unit, "location_again", f"Location {code} is already confirmed.", [], line)
    line.location_confirmed = True
    line.steps.append(Step("location"))
    ev = LocationConfirmed(line_id=line.line_id, order_id=line.order_id, location=code)
    return accept(unit, "location_confirmed", f"Location {code} confirmed.", [ev], line)


def scan_product(unit: WorkUnit, scan: ProductScan, ctx: PickContext) -> Verdict:
    """A product: the right item (and lot, and in-date) counts its units; anything else is refused."""
    checked = line_for_action(unit, ctx)
    if isinstance(checked, Verdict):
        return checked
    line, product = checked, scan.product
    scanned = f"{product.name} ({product.sku})"
    if unit.pending_put is not None:
        return refuse(unit, "put_first", "Put the units already taken into their tote first.", line)
    if product.sku != line.sku:
        return refuse(
            unit,
            "wrong_item",
            f"Wrong item: scanned {scanned}. Take {line.label} from {line.location}, {SHORT_HINT}.",
            line,
            hint=False,
        )
    if not line.location_confirmed:
        return refuse(unit, "location_first", f"Scan the location first: {line.location}.", line, hint=False)
    if product.lot_tracked and not scan.lot:
        return refuse(
            unit,
            "lot_needed",
            f"Scan the lot: {scanned} is lot-tracked. Scan the GS1 label that carries the lot (AI 10).",
            line,
            hint=False,
        )
    if line.lot and scan.lot != line.lot:
        return refuse(
            unit,
            "wrong_lot",
            f"Wrong lot: scanned lot {scan.lot} of {scanned}. Take lot {line.lot} from {line.location}, "
            f"{SHORT_HINT}.",
            line,
            hint=False,
        )
    if product.expiry_tracked and scan.expiry is None:
        return refuse(
            unit,
            "expiry_needed",
            f"Scan the GS1 label with the expiry date (AI 17) of {scanned}.",
            line,
            hint=False,
        )
    if scan.expiry is not None and scan.expiry < ctx.today:
        return refuse(
            unit,
            "expired",
            f"Expired: this {scanned} expired on {scan.expiry.isoformat()}. Put it aside and take another, "
            f"{SHORT_HINT}.",
            line,
            hint=False,
        )
    units = unit.typed_qty or scan.units
    if units > line.remaining:
        what = f"typed quantity {units}" if unit.typed_qty else f"this scan counts {units}"
        return refuse(
            unit,
            "over_pick",
            f"Too many: {what}, but only {line.remaining} more {line.label} needed. Take {line.remaining} "
            "and scan each unit.",
            line,
            hint=False,
        )
    unit.typed_qty = None
    if unit.kind is WorkKind.CLUSTER:
        unit.pending_put = PendingPut(line.line_id, units, scan.lot)
        ev = ItemVerified(
            line_id=line.line_id,
            order_id=line.order_id,
            sku=line.sku,
            units=units,
            lot=scan.lot,
            expiry=scan.expiry,
        )
        return accept(unit, "item_verified", f"Right item: {units} × {line.label}.", [ev], line)
    return _take(unit, line, units, scan.lot, scan.expiry, unit.totes.get(line.order_id))


def _take(
    unit: WorkUnit, line: PickLine, units: int, lot: str | None, expiry: date | None, tote: str | None
) -> Verdict:
    line.picked += units
    line.steps.append(Step("units", units, lot))
    done = line.picked == line.qty
    if done:
        line.status = LineStatus.PICKED
        line.steps.clear()  # confirmed: undo can no longer take these back
    ev = ItemPicked(
        line_id=line.line_id,
        order_id=line.order_id,
        sku=line.sku,
        units=units,
        picked=line.picked,
        qty=line.qty,
        lot=lot,
        expiry=expiry,
        tote=tote,
        location=line.location,
        line_done=done,
    )
    where = f" into {tote}" if tote else ""
    if done:
        return accept(
            unit, "line_done", f"Line done: {line.label} {line.picked} of {line.qty}{where}.", [ev], line
        )
    msg = f"Picked {line.label}{where}: {line.picked} of {line.qty}. Take {line.remaining} more."
    return accept(unit, "item_picked", msg, [ev], line)
