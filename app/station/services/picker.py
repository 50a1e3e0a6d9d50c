"""Picker handlers: one per command, each in one unit of work committing state, scan row and outbox."""

from __future__ import annotations

from collections.abc import Callable

from app.domain import pick_actions, picking
from app.domain.picking import PickContext
from app.domain.scanning import (
    CommandScan,
    Invalid,
    LocationScan,
    Meaning,
    ProductScan,
    ToteScan,
    Unknown,
)
from app.domain.work import ShortReason, Verdict, WorkState, WorkUnit
from app.station.services import commands as c
from app.station.services.deps import StationDeps
from app.station.services.ports import Offline, StationSession, UnitOfWork
from app.station.services.recording import BADGE, NO_WORK, accepted, record, refusal

PickAction = Callable[[WorkUnit, PickContext], Verdict]

REASON_LABELS = {
    "notfound": ShortReason.NOT_FOUND,
    "not-found": ShortReason.NOT_FOUND,
    "damaged": ShortReason.DAMAGED,
    "qtywrong": ShortReason.QUANTITY_WRONG,
    "qty-wrong": ShortReason.QUANTITY_WRONG,
}


def run_pick_action(
    uow: UnitOfWork, deps: StationDeps, session: StationSession, action: PickAction
) -> tuple[Verdict, WorkUnit | None]:
    """Apply `action` to the signed-in picker's work unit; saves the unit when the verdict accepts."""
    if session.operator is None:
        return refusal("sign_in", "Not signed in.", BADGE), None
    unit = uow.work.get(session.work_id) if session.work_id else None
    if unit is None:
        return refusal("no_work", "No work on this station.", NO_WORK), None
    verdict = action(unit, deps.pick_context())
    if verdict.accepted:
        uow.work.save(unit)
        if unit.state is WorkState.CLOSED:
            session.work_id = None
            uow.session.save(session)
    return verdict, unit


def action_for_meaning(meaning: Meaning) -> PickAction:
    """The pick action a scan means; labels that make no sense while picking are refused with the reason."""
    match meaning:
        case LocationScan(code=code):
            return lambda u, ctx: picking.scan_location(u, code, ctx)
        case ProductScan():
            return lambda u, ctx: picking.scan_product(u, meaning, ctx)
        case ToteScan(code=code):
            return lambda u, ctx: picking.scan_tote(u, code, ctx)
        case CommandScan(command=name):
            return action_for_command(name)
        case Unknown(text=text, reason=reason) | Invalid(text=text, reason=reason):
            kind = "unknown_barcode" if isinstance(meaning, Unknown) else "invalid_barcode"
            return lambda u, ctx: picking.refuse(u, kind, f"Not recognised: {text} ({reason}).")
        case _:
            what = type(meaning).__name__.removesuffix("Scan").lower()
            return lambda u, ctx: picking.refuse(
                u, "not_for_picking", f"A {what} label is not used when picking."
            )


def action_for_command(name: str) -> PickAction:
    """A command label (CMD-SKIP → 'skip') as a pick action; CMD-QTY-12 types a quantity of 12."""
    simple: dict[str, PickAction] = {
        "short": pick_actions.request_short,
        "skip": pick_actions.skip_line,
        "undo": pick_actions.undo_last,
        "cancel": pick_actions.cancel_pending,
        "pause": pick_actions.pause,
        "resume": pick_actions.resume,
        "done": pick_actions.close_totes,
    }
    if name in simple:
        return simple[name]
    if name in REASON_LABELS:
        reason = REASON_LABELS[name]

        def confirm_short(u: WorkUnit, ctx: PickContext) -> Verdict:
            if not u.awaiting_short_reason:
                return picking.refuse(u, "short_not_requested", "Scan CMD-SHORT first, then the reason.")
            return pick_actions.short_line(u, reason, ctx)

        return confirm_short
    digits = name.removeprefix("qty").lstrip("-")
    if name.startswith("qty") and digits.isdigit():
        return lambda u, ctx: pick_actions.enter_quantity(u, int(digits), ctx)
    return lambda u, ctx: picking.refuse(
        u, "unknown_command", f"Command CMD-{name.upper()} is not used when picking."
    )


def _simple(action: PickAction, name: str) -> Callable[[StationDeps, str], Verdict]:
    def handle(deps: StationDeps, source: str) -> Verdict:
        with deps.uow() as uow:
            session = uow.session.get()
            verdict, unit = run_pick_action(uow, deps, session, action)
            record(uow, deps, session, verdict, text=name, source=source, unit=unit, is_scan=False)
            uow.commit()
        return verdict

    return handle


def skip_line(cmd: c.SkipLine, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.skip_line, "key:skip")(deps, cmd.source)


def undo_last_scan(cmd: c.UndoLastScan, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.undo_last, "key:undo")(deps, cmd.source)


def cancel_pending(cmd: c.CancelPending, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.cancel_pending, "key:cancel")(deps, cmd.source)


def pause_work(cmd: c.PauseWork, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.pause, "key:pause")(deps, cmd.source)


def resume_work(cmd: c.ResumeWork, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.resume, "key:resume")(deps, cmd.source)


def close_totes(cmd: c.CloseTotes, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.close_totes, "key:done")(deps, cmd.source)


def request_short(cmd: c.RequestShort, deps: StationDeps) -> Verdict:
    return _simple(pick_actions.request_short, "key:short")(deps, cmd.source)


def short_line(cmd: c.ShortLine, deps: StationDeps) -> Verdict:
    action: PickAction = lambda u, ctx: pick_actions.short_line(u, cmd.reason, ctx)  # noqa: E731
    return _simple(action, f"key:short:{cmd.reason.value}")(deps, cmd.source)


def enter_quantity(cmd: c.EnterQuantity, deps: StationDeps) -> Verdict:
    action: PickAction = lambda u, ctx: pick_actions.enter_quantity(u, cmd.qty, ctx)  # noqa: E731
    return _simple(action, f"key:qty:{cmd.qty}")(deps, cmd.source)


def claim_work(cmd: c.ClaimWork, deps: StationDeps) -> Verdict:
    """Resume local work if there is any; otherwise ask the server for work (outside any transaction)."""
    with deps.uow() as uow:
        session = uow.session.get()
        unit = uow.work.active()
        if session.operator is None or unit is not None:
            verdict = refusal("sign_in", "Not signed in.", BADGE)
            if unit is not None and session.operator is not None:
                session.work_id = unit.work_id
                uow.session.save(session)
                verdict = accepted(
                    "work_resumed", f"Resuming work {unit.work_id}.", picking.expect_next(unit)
                )
            record(uow, deps, session, verdict, text="key:claim", source=cmd.source, unit=unit, is_scan=False)
            uow.commit()
            return verdict
        operator = session.operator
    try:
        if deps.work_source is None:
            raise Offline("this station has no server configured")
        claimed = deps.work_source.claim_pick(operator)
    except Offline as exc:
        claimed, why = (
            None,
            f"Offline: cannot claim new work ({exc}). Picks already on this station still work.",
        )
    else:
        why = "No work is waiting. Try again in a moment."
    with deps.uow() as uow:
        session = uow.session.get()
        if claimed is None:
            verdict = refusal("no_work", why, NO_WORK)
            record(uow, deps, session, verdict, text="key:claim", source=cmd.source, is_scan=False)
        else:
            unit = claimed.unit
            uow.catalogue.upsert_products(claimed.products)
            uow.catalogue.upsert_locations(claimed.locations)
            # the sync thread may have stored this grant from a pull while the claim was on the wire
            known = uow.work.get(unit.work_id)
            if known is None:
                uow.work.add(unit)
            else:
                unit = known
            session.work_id = unit.work_id
            uow.session.save(session)
            _, total = unit.progress()
            msg = f"Work {unit.work_id}: {total} line(s) for {len(unit.orders)} order(s)."
            verdict = accepted("work_claimed", msg, picking.expect_next(unit))
            record(uow, deps, session, verdict, text="key:claim", source=cmd.source, unit=unit, is_scan=False)
        uow.commit()
    return verdict
