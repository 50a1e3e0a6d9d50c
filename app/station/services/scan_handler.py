"""The RecordScan handler: interpret a scan, let the domain decide, record it all in one transaction.

This is file 4 of the five a scan crosses (docs/architecture.md): a badge signs in, a command label becomes
the command its key sends (labels.py), and anything else goes to the picker's work unit or the packer's order;
the domain's verdict, the scan record and its events commit here in one unit of work.
"""

from __future__ import annotations

from app.domain import packing, picking
from app.domain.events import Event, OperatorSignedIn, OperatorSignedOut
from app.domain.picking import refuse
from app.domain.scanning import BadgeScan, CommandScan, Meaning
from app.domain.work import Expect, Verdict, WorkUnit
from app.station.services import commands as c
from app.station.services import labels, packer, picker
from app.station.services.deps import StationDeps
from app.station.services.ports import Offline, StationSession, UnitOfWork
from app.station.services.recording import BADGE, NO_WORK, accepted, record


def record_scan(cmd: c.RecordScan, deps: StationDeps) -> Verdict:
    """Answer one scan; the verdict is returned only after its record and events are committed."""
    with deps.uow() as uow:
        session = uow.session.get()
        meaning = deps.interpret(cmd, uow.catalogue)
        claim = _claims_work(uow, deps, session, meaning)
        label = None if claim else _label_to_fetch(uow, deps, session, meaning)
        if label is None and not claim:
            verdict, unit = decide(uow, deps, session, meaning, cmd.source)
            record(uow, deps, session, verdict, text=cmd.text, source=cmd.source, aim=cmd.aim, unit=unit)
            uow.commit()
            return verdict
        operator = session.operator or ""
    if claim:
        return picker.claim(deps, cmd.source)  # the shared step of the W key
    assert label is not None
    return _open_from_server(cmd, deps, meaning, label, operator)


def _open_from_server(
    cmd: c.RecordScan, deps: StationDeps, meaning: Meaning, label: str, operator: str
) -> Verdict:
    """The order is not on this station: ask the server outside any transaction, then open it."""
    order, why = None, ""
    try:
        if deps.work_source is None:
            raise Offline("this station has no server configured")
        order = deps.work_source.claim_pack(label, operator)
        why = f"Order {label} is not waiting for packing."
    except Offline as exc:
        why = f"Offline: order {label} is not on this station ({exc}). Take another tote or wait."
    with deps.uow() as uow:
        session = uow.session.get()
        if order is not None and uow.packs.get(order.order_id) is None:
            verdict = packer.open_order(uow, session, order, new=True, bench=deps.config.bench)
        elif order is not None:
            verdict = packer.pack_scan(uow, deps, session, meaning, cmd.source)
        else:
            verdict = refuse(None, "order_unknown", why, expect=packing.expect_next(None))
        record(uow, deps, session, verdict, text=cmd.text, source=cmd.source, aim=cmd.aim)
        uow.commit()
    return verdict


def _claims_work(uow: UnitOfWork, deps: StationDeps, session: StationSession, meaning: Meaning) -> bool:
    """A signed-in picker scanning their own badge with no work here asks for work (as the W key does)."""
    return (
        deps.config.role == "picker"
        and isinstance(meaning, BadgeScan)
        and meaning.code == session.operator
        and uow.work.active() is None
    )


def _label_to_fetch(
    uow: UnitOfWork, deps: StationDeps, session: StationSession, meaning: Meaning
) -> str | None:
    """A packer's tote/order label that must be fetched from the server first, else None."""
    if deps.config.role != "packer" or session.operator is None:
        return None
    label = packer.label_of(meaning)
    if label is None or uow.packs.by_label(label) is not None:
        return None
    current = packer.current_order(uow, session)
    if current is not None and current.state is packing.PackState.VERIFYING:
        return None  # finish the open order first: pack_scan refuses
    return label


def decide(
    uow: UnitOfWork, deps: StationDeps, session: StationSession, meaning: Meaning, source: str
) -> tuple[Verdict, WorkUnit | None]:
    """The verdict on one interpreted scan, applying its effect to the state in `uow`."""
    if isinstance(meaning, BadgeScan):
        return sign_in(uow, deps, session, meaning.code), None
    if session.operator is None:
        return refuse(None, "sign_in", "Not signed in.", expect=BADGE), None
    if isinstance(meaning, CommandScan) and meaning.command in labels.SIGN_OUT:
        return sign_out(uow, deps, session), None
    if deps.config.role == "packer":
        return packer.pack_scan(uow, deps, session, meaning, source), None
    return picker.run_pick_action(uow, deps, session, picker.action_for_meaning(meaning, source))


def sign_in(uow: UnitOfWork, deps: StationDeps, session: StationSession, badge: str) -> Verdict:
    """A badge: signs the operator in for this station's role and resumes the work left here."""
    op = uow.operators.by_badge(badge)
    role = deps.config.role
    if op is None:
        return _badge_not_found(uow, deps, badge)
    if role not in op.roles and "supervisor" not in op.roles:
        return refuse(
            None, "wrong_role", f"{op.name} ({badge}) may not work as {role}. Ask a supervisor.", expect=BADGE
        )
    session.operator, session.operator_name, session.role = op.badge, op.name, role
    events: tuple[Event, ...] = (OperatorSignedIn(badge=op.badge, role=role),)
    expect: Expect
    if role == "packer":
        order = packer.current_order(uow, session)
        expect = packing.expect_next(order, deps.config.bench)
    else:
        unit = (uow.work.get(session.work_id) if session.work_id else None) or uow.work.active()
        session.work_id = unit.work_id if unit else None
        expect = picking.expect_next(unit) if unit else NO_WORK
    uow.session.save(session)
    return accepted("signed_in", f"Signed in: {op.name} ({op.badge}).", expect, events)


def _badge_not_found(uow: UnitOfWork, deps: StationDeps, badge: str) -> Verdict:
    """A badge not found: "unknown" only about data the station has; before its first pull, "loading"."""
    ref = uow.operators.reference()
    if ref.loaded:
        message = f"Unknown badge {badge}: not registered here. Ask a supervisor."
        return refuse(None, "unknown_badge", message, expect=BADGE)
    if deps.work_source is None:  # no server: nothing will ever load
        message = f"Unknown badge {badge}: this station has no badges (it runs without a server)."
        return refuse(None, "unknown_badge", message, expect=BADGE)
    if ref.trying_since is None:
        tried = "it has not reached the server yet"
    else:
        tried = f"trying for {_duration(deps.clock.wall() - ref.trying_since)}"
    message = f"Still loading badges from the server ({tried}): scan {badge} again in a moment."
    return refuse(None, "reference_loading", message, expect=BADGE)


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min" if seconds < 7200 else f"{seconds // 3600} h {seconds % 3600 // 60} min"


def sign_out(uow: UnitOfWork, deps: StationDeps, session: StationSession) -> Verdict:
    """Sign out; the work stays on the station (and leased) for the next operator or for later."""
    badge = session.operator
    session.operator = session.operator_name = None
    uow.session.save(session)
    return accepted("signed_out", f"Signed out {badge}.", BADGE, (OperatorSignedOut(badge=badge),))


def sign_in_handler(cmd: c.SignIn, deps: StationDeps) -> Verdict:
    with deps.uow() as uow:
        session = uow.session.get()
        verdict = sign_in(uow, deps, session, cmd.badge)
        record(uow, deps, session, verdict, text=f"key:badge:{cmd.badge}", source=cmd.source, is_scan=False)
        uow.commit()
    return verdict


def sign_out_handler(cmd: c.SignOut, deps: StationDeps) -> Verdict:
    with deps.uow() as uow:
        session = uow.session.get()
        verdict = (
            sign_out(uow, deps, session)
            if session.operator
            else refuse(None, "sign_in", "Not signed in.", expect=BADGE)
        )
        record(uow, deps, session, verdict, text="key:signout", source=cmd.source, is_scan=False)
        uow.commit()
    return verdict
