"""Picker handlers: one per command, each in one unit of work committing state, scan row and outbox.

A key and its command label take one route: both are a typed pick command (the label through
`labels.pick_label`) that `pick_action` turns into what it does to the work unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from app.domain import pick_actions, picking
from app.domain.picking import PickContext, refuse
from app.domain.scanning import (
    CommandScan,
    Invalid,
    LocationScan,
    Meaning,
    ProductScan,
    ToteScan,
    Unknown,
)
from app.domain.work import Verdict, WorkState, WorkUnit
from app.station.services import commands as c
from app.station.services import labels
from app.station.services.deps import StationDeps
from app.station.services.ports import Offline, StationSession, UnitOfWork
from app.station.services.recording import BADGE, NO_WORK, accepted, record

PickAction = Callable[[WorkUnit, PickContext], Verdict]


def run_pick_action(
    uow: UnitOfWork, deps: StationDeps, session: StationSession, action: PickAction
) -> tuple[Verdict, WorkUnit | None]:
    """Apply `action` to the signed-in picker's work unit; saves the unit when the verdict accepts."""
    if session.operator is None:
        return refuse(None, "sign_in", "Not signed in.", expect=BADGE), None
    unit = uow.work.get(session.work_id) if session.work_id else None
    if unit is None:
        return refuse(None, "no_work", "No work on this station.", expect=NO_WORK), None
    verdict = action(unit, deps.pick_context())
    if verdict.accepted:
        uow.work.save(unit)
        if unit.state is WorkState.CLOSED:
            session.work_id = None
            uow.session.save(session)
    return verdict, unit


def pick_action(command: c.PickCommand) -> PickAction:
    """What a pick command does to the work unit, whether a key sent it or its label was scanned."""
    match command:
        case c.RequestShort():
            return pick_actions.request_short
        case c.SkipLine():
            return pick_actions.skip_line
        case c.UndoLastScan():
            return pick_actions.undo_last
        case c.CancelPending():
            return pick_actions.cancel_pending
        case c.PauseWork():
            return pick_actions.pause
        case c.ResumeWork():
            return pick_actions.resume
        case c.CloseTotes():
            return pick_actions.close_totes
        case c.ShortLine(reason=reason):
            return lambda u, ctx: pick_actions.short_line(u, reason, ctx)
        case c.EnterQuantity(qty=qty):
            return lambda u, ctx: pick_actions.enter_quantity(u, qty, ctx)
        case _:
            assert_never(command)


_KEY_TEXT: dict[type, str] = {
    c.RequestShort: "key:short",
    c.SkipLine: "key:skip",
    c.UndoLastScan: "key:undo",
    c.CancelPending: "key:cancel",
    c.PauseWork: "key:pause",
    c.ResumeWork: "key:resume",
    c.CloseTotes: "key:done",
}


def key_text(command: c.PickCommand) -> str:
    """How a pick command sent by key is recorded (a scanned label is recorded as scanned)."""
    if isinstance(command, c.ShortLine):
        return f"key:short:{command.reason.value}"
    if isinstance(command, c.EnterQuantity):
        return f"key:qty:{command.qty}"
    return _KEY_TEXT[type(command)]


def pick_command(cmd: c.PickCommand, deps: StationDeps) -> Verdict:
    """The handler of every pick command a key sends (SkipLine, PauseWork, ShortLine, EnterQuantity…)."""
    with deps.uow() as uow:
        session = uow.session.get()
        verdict, unit = run_pick_action(uow, deps, session, pick_action(cmd))
        record(uow, deps, session, verdict, text=key_text(cmd), source=cmd.source, unit=unit, is_scan=False)
        uow.commit()
    return verdict


def action_for_meaning(meaning: Meaning, source: str) -> PickAction:
    """The pick action a scan means; labels that make no sense while picking are refused with the reason."""
    match meaning:
        case LocationScan(code=code):
            return lambda u, ctx: picking.scan_location(u, code, ctx)
        case ProductScan():
            return lambda u, ctx: picking.scan_product(u, meaning, ctx)
        case ToteScan(code=code):
            return lambda u, ctx: picking.scan_tote(u, code, ctx)
        case CommandScan(command=name):
            return action_for_label(name, source)
        case Unknown(text=text, reason=reason) | Invalid(text=text, reason=reason):
            kind = "unknown_barcode" if isinstance(meaning, Unknown) else "invalid_barcode"
            return lambda u, ctx: refuse(u, kind, f"Not recognised: {text} ({reason}).")
        case _:
            what = type(meaning).__name__.removesuffix("Scan").lower()
            return lambda u, ctx: refuse(u, "not_for_picking", f"A {what} label is not used when picking.")


def action_for_label(name: str, source: str) -> PickAction:
    """A command label's pick action: the same as its key's (CMD-SKIP is SkipLine)."""
    command = labels.pick_label(name, source)
    if command is None:
        return lambda u, ctx: refuse(
            u, "unknown_command", f"Command CMD-{name.upper()} is not used when picking."
        )
    action = pick_action(command)
    if not isinstance(command, c.ShortLine):
        return action

    def confirm_short(u: WorkUnit, ctx: PickContext) -> Verdict:
        """A reason label only confirms a short asked for first: a stray reason scan shorts nothing."""
        if not u.awaiting_short_reason:
            return refuse(u, "short_not_requested", "Scan CMD-SHORT first, then the reason.")
        return action(u, ctx)

    return confirm_short


def claim_work(cmd: c.ClaimWork, deps: StationDeps) -> Verdict:
    """The W key: resume local work, or claim new work from the server."""
    return claim(deps, cmd.source)


def claim(deps: StationDeps, source: str) -> Verdict:
    """Resume local work if there is any; otherwise ask the server for work (outside any transaction).

    A shared step (the W key, a picker scanning their own badge), committing in its own units of work.
    """
    with deps.uow() as uow:
        session = uow.session.get()
        unit = uow.work.active()
        if session.operator is None or unit is not None:
            verdict = refuse(None, "sign_in", "Not signed in.", expect=BADGE)
            if unit is not None and session.operator is not None:
                session.work_id = unit.work_id
                uow.session.save(session)
                verdict = accepted(
                    "work_resumed", f"Resuming work {unit.work_id}.", picking.expect_next(unit)
                )
            record(uow, deps, session, verdict, text="key:claim", source=source, unit=unit, is_scan=False)
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
            verdict = refuse(None, "no_work", why, expect=NO_WORK)
            record(uow, deps, session, verdict, text="key:claim", source=source, is_scan=False)
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
            record(uow, deps, session, verdict, text="key:claim", source=source, unit=unit, is_scan=False)
        uow.commit()
    return verdict
