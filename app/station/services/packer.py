"""Packer handlers: open an order by tote or order label, verify units, choose the box, weigh, seal."""

from __future__ import annotations

from app.domain import packing
from app.domain.packing import Override, PackOrder
from app.domain.pins import pin_matches
from app.domain.scanning import CommandScan, Invalid, Meaning, OrderLabelScan, ProductScan, ToteScan, Unknown
from app.domain.work import Verdict
from app.station.services import commands as c
from app.station.services.deps import StationDeps
from app.station.services.ports import StationSession, UnitOfWork
from app.station.services.recording import BADGE, record, refusal


def current_order(uow: UnitOfWork, session: StationSession) -> PackOrder | None:
    return uow.packs.get(session.pack_order_id) if session.pack_order_id else None


def label_of(meaning: Meaning) -> str | None:
    """The label a packer scans to open an order: the order ref of an order label, or a tote code."""
    if isinstance(meaning, OrderLabelScan):
        return meaning.order_ref
    if isinstance(meaning, ToteScan):
        return meaning.code
    return None


def open_order(uow: UnitOfWork, session: StationSession, order: PackOrder, *, new: bool) -> Verdict:
    """Make `order` the one on the bench (adding it when it came from the server) and say so."""
    if new:
        uow.packs.add(order)
    session.pack_order_id = order.order_id
    uow.session.save(session)
    return packing.start(order)


def pack_scan(uow: UnitOfWork, deps: StationDeps, session: StationSession, meaning: Meaning) -> Verdict:
    """A scan at the pack bench (labels of local orders; fetching from the server is the caller's)."""
    order = current_order(uow, session)
    open_here = order is not None and order.state is packing.PackState.VERIFYING
    label = label_of(meaning)
    if label is not None:
        found = uow.packs.by_label(label)
        if open_here and order is not None and (found is None or found.order_id != order.order_id):
            return refusal(
                "finish_first", f"Finish order {order.order_id} first (seal it).", packing.expect_next(order)
            )
        if found is None:
            return refusal(
                "order_unknown", f"Order {label} is not on this station.", packing.expect_next(order)
            )
        return open_order(uow, session, found, new=False)
    if order is None or not open_here:
        what = _describe(meaning)
        return refusal("order_first", f"Scanned {what}: no order is open.", packing.expect_next(None))
    verdict: Verdict
    match meaning:
        case ProductScan():
            verdict = packing.verify_unit(order, meaning)
        case CommandScan(command=name):
            verdict = pack_command(deps, order, name)
        case _:
            verdict = refusal(
                "not_for_packing",
                f"Scanned {_describe(meaning)}: not used when packing.",
                packing.expect_next(order),
                order.order_id,
            )
    uow.packs.save(order)
    return verdict


def _describe(meaning: Meaning) -> str:
    if isinstance(meaning, Unknown | Invalid):
        return f"{meaning.text} ({meaning.reason})"
    return type(meaning).__name__.removesuffix("Scan").lower()


def pack_command(deps: StationDeps, order: PackOrder, name: str) -> Verdict:
    """Command labels at the bench: CMD-BOX-M picks the box, CMD-WEIGHT-1234 a weight, CMD-DONE seals."""
    expect = packing.expect_next(order)
    if name.startswith("box-"):
        box = deps.box(name.removeprefix("box-"))
        if box is None:
            codes = ", ".join(b.code for b in deps.config.boxes)
            return refusal(
                "unknown_box", f"No box {name[4:].upper()} here (boxes: {codes}).", expect, order.order_id
            )
        order.box = box.code
        return Verdict(
            True,
            "box_chosen",
            f"Box {box.code} chosen. Next: {expect.prompt}",
            expect,
            (),
            None,
            order.order_id,
        )
    if name.startswith("weight-") and name[7:].isdigit():
        order.weight_g = int(name[7:])
        return Verdict(
            True,
            "weighed",
            f"Weight {order.weight_g} g. Next: {expect.prompt}",
            expect,
            (),
            None,
            order.order_id,
        )
    if name in ("done", "seal"):
        return seal_current(deps, order, order.box, order.weight_g, None)
    return refusal(
        "unknown_command", f"Command CMD-{name.upper()} is not used when packing.", expect, order.order_id
    )


def seal_current(
    deps: StationDeps, order: PackOrder, box_code: str | None, weight_g: int | None, override: Override | None
) -> Verdict:
    """Seal with the chosen (or suggested) box and the weighed weight."""
    box = deps.box(box_code) if box_code else packing.suggest_box(order, list(deps.config.boxes))
    expect = packing.expect_next(order)
    if box is None:
        return refusal("unknown_box", f"No box {box_code} at this station.", expect, order.order_id)
    if weight_g is None:
        return refusal("weigh_first", f"Weigh the parcel in box {box.code} first.", expect, order.order_id)
    return packing.seal(order, box, weight_g, deps.config.tolerance, override)


def _with_order(deps: StationDeps, name: str, source: str, fn: object) -> Verdict:
    with deps.uow() as uow:
        session = uow.session.get()
        order = current_order(uow, session)
        if session.operator is None:
            verdict = refusal("sign_in", "Not signed in.", BADGE)
        elif order is None:
            verdict = refusal("order_first", "No order is open.", packing.expect_next(None))
        else:
            verdict = fn(uow, order)  # type: ignore[operator]
            uow.packs.save(order)
        record(uow, deps, session, verdict, text=name, source=source, is_scan=False)
        uow.commit()
    return verdict


def prepare_seal(cmd: c.PrepareSeal, deps: StationDeps) -> Verdict:
    """Record the box and/or weight on the open order, as the CMD-BOX-… and CMD-WEIGHT-… labels do."""

    def run(uow: UnitOfWork, order: PackOrder) -> Verdict:
        verdict: Verdict | None = None
        if cmd.box is not None:
            verdict = pack_command(deps, order, f"box-{cmd.box.lower()}")
        if cmd.weight_g is not None and (verdict is None or verdict.accepted):
            verdict = pack_command(deps, order, f"weight-{cmd.weight_g}")
        return verdict or refusal("nothing_to_set", "Choose a box or weigh.", packing.expect_next(order))

    return _with_order(deps, f"key:prepare:{cmd.box or ''}:{cmd.weight_g or ''}", cmd.source, run)


def seal_order(cmd: c.SealOrder, deps: StationDeps) -> Verdict:
    return _with_order(
        deps,
        f"key:seal:{cmd.box}:{cmd.weight_g}",
        cmd.source,
        lambda uow, order: seal_current(deps, order, cmd.box, cmd.weight_g, None),
    )


def override_seal(cmd: c.OverrideSeal, deps: StationDeps) -> Verdict:
    """Seal despite a failed check: only a supervisor with the right PIN, and only with a reason."""

    def run(uow: UnitOfWork, order: PackOrder) -> Verdict:
        supervisor = uow.operators.by_badge(cmd.supervisor_badge)
        expect = packing.expect_next(order)
        if supervisor is None or "supervisor" not in supervisor.roles:
            return refusal(
                "not_supervisor",
                f"Badge {cmd.supervisor_badge} is not a supervisor's.",
                expect,
                order.order_id,
            )
        if not pin_matches(cmd.pin, supervisor.pin_hash):
            return refusal("wrong_pin", "Wrong PIN: override refused.", expect, order.order_id)
        if not cmd.reason.strip():
            return refusal("reason_needed", "An override needs a reason.", expect, order.order_id)
        return seal_current(deps, order, cmd.box, cmd.weight_g, Override(supervisor.badge, cmd.reason))

    return _with_order(deps, f"key:override:{cmd.box}:{cmd.weight_g}", cmd.source, run)
