"""Packer handlers: open an order by tote or order label, verify units, choose the box, weigh, seal.

A key and its command label take one route: both are a typed pack command (the label through
`labels.pack_label`) that `pack_step` applies to the order on the bench.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from app.domain import packing
from app.domain.packing import Override, PackBench, PackOrder
from app.domain.picking import refuse
from app.domain.pins import pin_matches
from app.domain.scanning import CommandScan, Invalid, Meaning, OrderLabelScan, ProductScan, ToteScan, Unknown
from app.domain.work import Expect, Verdict
from app.station.services import commands as c
from app.station.services import labels
from app.station.services.deps import StationDeps
from app.station.services.ports import StationSession, UnitOfWork
from app.station.services.recording import BADGE, record


def current_order(uow: UnitOfWork, session: StationSession) -> PackOrder | None:
    return uow.packs.get(session.pack_order_id) if session.pack_order_id else None


def label_of(meaning: Meaning) -> str | None:
    """The label a packer scans to open an order: the order ref of an order label, or a tote code."""
    if isinstance(meaning, OrderLabelScan):
        return meaning.order_ref
    if isinstance(meaning, ToteScan):
        return meaning.code
    return None


def open_order(
    uow: UnitOfWork, session: StationSession, order: PackOrder, *, new: bool, bench: PackBench | None = None
) -> Verdict:
    """Make `order` the one on the bench (adding it when it came from the server) and say so."""
    if new:
        uow.packs.add(order)
    session.pack_order_id = order.order_id
    uow.session.save(session)
    return packing.start(order, bench)


def pack_scan(
    uow: UnitOfWork, deps: StationDeps, session: StationSession, meaning: Meaning, source: str
) -> Verdict:
    """A scan at the pack bench (labels of local orders; fetching from the server is the caller's)."""
    order = current_order(uow, session)
    open_here = order is not None and order.state is packing.PackState.VERIFYING
    label = label_of(meaning)
    if label is not None:
        found = uow.packs.by_label(label)
        if open_here and order is not None and (found is None or found.order_id != order.order_id):
            return refuse(
                None,
                "finish_first",
                f"Finish order {order.order_id} first (seal it).",
                expect=packing.expect_next(order, deps.config.bench),
            )
        if found is None:
            return refuse(
                None,
                "order_unknown",
                f"Order {label} is not on this station.",
                expect=packing.expect_next(order, deps.config.bench),
            )
        return open_order(uow, session, found, new=False, bench=deps.config.bench)
    if order is None or not open_here:
        what = _describe(meaning)
        return refuse(
            None, "order_first", f"Scanned {what}: no order is open.", expect=packing.expect_next(None)
        )
    verdict: Verdict
    match meaning:
        case ProductScan():
            verdict = packing.verify_unit(order, meaning, deps.config.bench)
        case CommandScan(command=name):
            command = labels.pack_label(name, source)
            verdict = (
                pack_step(deps, order, command)
                if command is not None
                else refuse(
                    None,
                    "unknown_command",
                    f"Command CMD-{name.upper()} is not used when packing.",
                    expect=packing.expect_next(order, deps.config.bench),
                    order_id=order.order_id,
                )
            )
        case _:
            verdict = refuse(
                None,
                "not_for_packing",
                f"Scanned {_describe(meaning)}: not used when packing.",
                expect=packing.expect_next(order, deps.config.bench),
                order_id=order.order_id,
            )
    uow.packs.save(order)
    return verdict


def _describe(meaning: Meaning) -> str:
    if isinstance(meaning, Unknown | Invalid):
        return f"{meaning.text} ({meaning.reason})"
    return type(meaning).__name__.removesuffix("Scan").lower()


def pack_step(deps: StationDeps, order: PackOrder, command: c.PackCommand) -> Verdict:
    """What a pack command does to the order on the bench, whether a key sent it or its label was scanned."""
    expect = packing.expect_next(order, deps.config.bench)
    match command:
        case c.PrepareSeal(box=box, weight_g=weight):
            verdict: Verdict | None = None
            if box is not None:
                verdict = _choose_box(deps, order, box, expect)
            if weight is not None and (verdict is None or verdict.accepted):
                order.weight_g = weight
                message = f"Weight {weight} g. Next: {expect.prompt}"
                verdict = Verdict(True, "weighed", message, expect, (), None, order.order_id)
            return verdict or refuse(None, "nothing_to_set", "Choose a box or weigh.", expect=expect)
        case c.SealOrder(box=box, weight_g=weight):
            box = order.box if box is None else box
            return seal_current(deps, order, box, order.weight_g if weight is None else weight, None)
        case _:
            assert_never(command)


def _choose_box(deps: StationDeps, order: PackOrder, code: str, expect: Expect) -> Verdict:
    box = deps.box(code)
    if box is None:
        codes = ", ".join(b.code for b in deps.config.boxes)
        message = f"No box {code.upper()} here (boxes: {codes})."
        return refuse(None, "unknown_box", message, expect=expect, order_id=order.order_id)
    order.box = box.code
    expect = packing.expect_next(order, deps.config.bench)  # the weight range of the box chosen
    message = f"Box {box.code} chosen. Next: {expect.prompt}"
    return Verdict(True, "box_chosen", message, expect, (), None, order.order_id)


def seal_current(
    deps: StationDeps, order: PackOrder, box_code: str | None, weight_g: int | None, override: Override | None
) -> Verdict:
    """Seal with the chosen (or suggested) box and the weighed weight."""
    box = deps.box(box_code) if box_code else packing.suggest_box(order, list(deps.config.boxes))
    expect = packing.expect_next(order, deps.config.bench)
    if box is None:
        return refuse(
            None, "unknown_box", f"No box {box_code} at this station.", expect=expect, order_id=order.order_id
        )
    if weight_g is None:
        return refuse(
            None,
            "weigh_first",
            f"Weigh the parcel in box {box.code} first.",
            expect=expect,
            order_id=order.order_id,
        )
    return packing.seal(order, box, weight_g, deps.config.tolerance, override, deps.config.bench)


def _with_order(
    deps: StationDeps, name: str, source: str, fn: Callable[[UnitOfWork, PackOrder], Verdict]
) -> Verdict:
    with deps.uow() as uow:
        session = uow.session.get()
        order = current_order(uow, session)
        if session.operator is None:
            verdict = refuse(None, "sign_in", "Not signed in.", expect=BADGE)
        elif order is None:
            verdict = refuse(None, "order_first", "No order is open.", expect=packing.expect_next(None))
        else:
            verdict = fn(uow, order)
            uow.packs.save(order)
        record(uow, deps, session, verdict, text=name, source=source, is_scan=False)
        uow.commit()
    return verdict


def prepare_seal(cmd: c.PrepareSeal, deps: StationDeps) -> Verdict:
    """Record the box and/or weight on the open order, as the CMD-BOX-… and CMD-WEIGHT-… labels do."""
    name = f"key:prepare:{cmd.box or ''}:{cmd.weight_g or ''}"
    return _with_order(deps, name, cmd.source, lambda uow, order: pack_step(deps, order, cmd))


def seal_order(cmd: c.SealOrder, deps: StationDeps) -> Verdict:
    return _with_order(
        deps,
        f"key:seal:{cmd.box}:{cmd.weight_g}",
        cmd.source,
        lambda uow, order: pack_step(deps, order, cmd),
    )


def override_seal(cmd: c.OverrideSeal, deps: StationDeps) -> Verdict:
    """Seal despite a failed check: only a supervisor with the right PIN, and only with a reason."""

    def run(uow: UnitOfWork, order: PackOrder) -> Verdict:
        supervisor = uow.operators.by_badge(cmd.supervisor_badge)
        expect = packing.expect_next(order, deps.config.bench)
        if supervisor is None or "supervisor" not in supervisor.roles:
            return refuse(
                None,
                "not_supervisor",
                f"Badge {cmd.supervisor_badge} is not a supervisor's.",
                expect=expect,
                order_id=order.order_id,
            )
        if not pin_matches(cmd.pin, supervisor.pin_hash):
            return refuse(
                None, "wrong_pin", "Wrong PIN: override refused.", expect=expect, order_id=order.order_id
            )
        if not cmd.reason.strip():
            return refuse(
                None, "reason_needed", "An override needs a reason.", expect=expect, order_id=order.order_id
            )
        return seal_current(deps, order, cmd.box, cmd.weight_g, Override(supervisor.badge, cmd.reason))

    return _with_order(deps, f"key:override:{cmd.box}:{cmd.weight_g}", cmd.source, run)
