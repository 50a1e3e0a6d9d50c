"""Read models for the screens: what the picker and the packer see, built from committed state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain import packing, picking
from app.domain.packing import PackOrder
from app.domain.work import Expect, WorkState, WorkUnit
from app.station.services.deps import StationDeps
from app.station.services.ports import StationSession
from app.station.services.recording import BADGE, NO_WORK


@dataclass(frozen=True, slots=True)
class LineView:
    """The picker's screen: where to go, what to take, how many, into which tote, and progress."""

    work_id: str
    state: str
    expect: Expect
    done: int
    total: int
    line_id: str | None = None
    order_id: str | None = None
    location: str | None = None
    sku: str | None = None
    product: str | None = None
    qty: int = 0
    taken: int = 0
    lot: str | None = None
    tote: str | None = None
    lease_seconds_left: float | None = None
    paused: bool = False

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__ if k != "expect"}
        out["expect"] = self.expect.as_dict()
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True, slots=True)
class PackLineView:
    sku: str
    product: str
    qty: int
    verified: int


@dataclass(frozen=True, slots=True)
class PackView:
    """The packer's screen: lines expected vs verified, the suggested box, the contents' weight."""

    order_id: str
    tote: str | None
    state: str
    expect: Expect
    done: int
    total: int
    lines: list[PackLineView] = field(default_factory=list)
    suggested_box: str | None = None
    contents_weight_g: int = 0
    box: str | None = None  # chosen by the packer (CMD-BOX-…), else None
    weight_g: int | None = None  # weighed (CMD-WEIGHT-…), else None


@dataclass(frozen=True, slots=True)
class SessionView:
    operator: str | None
    operator_name: str | None
    role: str
    expect: Expect


def line_view(deps: StationDeps) -> LineView | None:
    """The current line of the signed-in picker's work, or None when there is no work."""
    with deps.uow.read_only() as uow:
        session = uow.session.get()
        unit = uow.work.get(session.work_id) if session.work_id else None
    return _line_view(deps, unit)


def _line_view(deps: StationDeps, unit: WorkUnit | None) -> LineView | None:
    if unit is None:
        return None
    done, total = unit.progress()
    expect = picking.expect_next(unit)
    line = unit.current_line() if unit.state in (WorkState.PICKING, WorkState.PAUSED) else None
    if line is None:
        return LineView(unit.work_id, unit.state.value, expect, done, total)
    return LineView(
        unit.work_id,
        unit.state.value,
        expect,
        done,
        total,
        line.line_id,
        line.order_id,
        line.location,
        line.sku,
        line.product_name,
        line.qty,
        line.picked,
        line.lot,
        unit.totes.get(line.order_id),
        round(line.lease.deadline_boot - deps.clock.boot(), 1),
        unit.state is WorkState.PAUSED,
    )


def pack_view(deps: StationDeps) -> PackView | None:
    """The order on the pack bench, or None."""
    with deps.uow.read_only() as uow:
        session = uow.session.get()
        order = uow.packs.get(session.pack_order_id) if session.pack_order_id else None
    return _pack_view(deps, order)


def _pack_view(deps: StationDeps, order: PackOrder | None) -> PackView | None:
    if order is None:
        return None
    done, total = order.progress()
    box = packing.suggest_box(order, list(deps.config.boxes))
    lines = [PackLineView(ln.sku, ln.product_name, ln.qty, ln.verified) for ln in order.lines]
    return PackView(
        order.order_id,
        order.tote,
        order.state.value,
        packing.expect_next(order, deps.config.bench),
        done,
        total,
        lines,
        box.code if box else None,
        order.contents_weight_g(),
        order.box,
        order.weight_g,
    )


def session_view(deps: StationDeps) -> SessionView:
    """Who is signed in and what the station expects first."""
    with deps.uow.read_only() as uow:
        session = uow.session.get()
        unit = uow.work.get(session.work_id) if session.work_id else None
        order = uow.packs.get(session.pack_order_id) if session.pack_order_id else None
    return _session_view(deps, session, unit, order)


def screen_views(deps: StationDeps) -> tuple[SessionView, LineView | None, PackView | None]:
    """The session and the role's view (the picker's line or the packer's order) from one read: the terminal
    shows them after every command, so reading once keeps the scan-to-screen time down."""
    with deps.uow.read_only() as uow:
        session = uow.session.get()
        unit = uow.work.get(session.work_id) if session.work_id else None
        order = uow.packs.get(session.pack_order_id) if session.pack_order_id else None
    role = deps.config.role
    return (
        _session_view(deps, session, unit, order),
        _line_view(deps, unit) if role == "picker" else None,
        _pack_view(deps, order) if role == "packer" else None,
    )


def _session_view(
    deps: StationDeps, session: StationSession, unit: WorkUnit | None, order: PackOrder | None
) -> SessionView:
    if session.operator is None:
        expect = BADGE
    elif deps.config.role == "packer":
        expect = packing.expect_next(order, deps.config.bench)
    else:
        expect = picking.expect_next(unit) if unit else NO_WORK
    return SessionView(session.operator, session.operator_name, deps.config.role, expect)
