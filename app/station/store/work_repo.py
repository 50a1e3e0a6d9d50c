"""Leased work and pack orders in SQLite, mapped to the domain's WorkUnit and PackOrder."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from app.domain.packing import PackLine, PackOrder, PackState
from app.domain.work import Lease, LineStatus, PendingPut, PickLine, Step, WorkKind, WorkState, WorkUnit
from app.station.store import tables as t

EXPIRED = float("-inf")

# Built once: the scan hot path then only binds parameters (SQLAlchemy caches the compiled SQL).
_SEL_UNIT = select(t.work_units).where(t.work_units.c.work_id == bindparam("k_work"))
_SEL_LINES = select(t.work_lines).where(t.work_lines.c.work_id == bindparam("k_work"))
_UPD_UNIT = update(t.work_units).where(t.work_units.c.work_id == bindparam("k_work"))
_UPD_LINE = update(t.work_lines).where(t.work_lines.c.line_id == bindparam("k_line"))
_SEL_PACK = select(t.pack_orders).where(t.pack_orders.c.order_id == bindparam("k_order"))
_UPD_PACK = update(t.pack_orders).where(t.pack_orders.c.order_id == bindparam("k_order"))


def _line_row(ln: PickLine, work_id: str, boot_id: str) -> dict[str, Any]:
    return {
        "line_id": ln.line_id,
        "work_id": work_id,
        "order_id": ln.order_id,
        "sku": ln.sku,
        "product_name": ln.product_name,
        "location": ln.location,
        "qty": ln.qty,
        "sequence": ln.sequence,
        "lot": ln.lot,
        "lease_token": ln.lease.token,
        "lease_deadline_boot": ln.lease.deadline_boot,
        "lease_boot_id": boot_id,
        "picked": ln.picked,
        "status": ln.status.value,
        "location_confirmed": ln.location_confirmed,
        "steps": json.dumps([[s.kind, s.units, s.lot] for s in ln.steps]),
        "short_reason": ln.short_reason,
    }


def _unit_row(u: WorkUnit) -> dict[str, Any]:
    put = u.pending_put
    return {
        "work_id": u.work_id,
        "kind": u.kind.value,
        "state": u.state.value,
        "orders": json.dumps(u.orders),
        "route": json.dumps(u.route),
        "totes": json.dumps(u.totes),
        "pending_put": json.dumps([put.line_id, put.units, put.lot]) if put else None,
        "typed_qty": u.typed_qty,
        "awaiting_short_reason": u.awaiting_short_reason,
    }


class SqlWorkRepository:
    """Work units and their lines; `save` writes only the rows that changed since `get`."""

    def __init__(self, conn: Connection, boot_id: str, wall: float) -> None:
        self.conn, self.boot_id, self.wall = conn, boot_id, wall
        self._seen: dict[str, dict[str, Any]] = {}

    def get(self, work_id: str) -> WorkUnit | None:
        row = self.conn.execute(_SEL_UNIT, {"k_work": work_id}).mappings().first()
        if row is None:
            return None
        raw = {r["line_id"]: dict(r) for r in self.conn.execute(_SEL_LINES, {"k_work": work_id}).mappings()}
        lines = [self._line(r) for r in raw.values()]
        put = json.loads(row["pending_put"]) if row["pending_put"] else None
        unit = WorkUnit(
            row["work_id"],
            WorkKind(row["kind"]),
            json.loads(row["orders"]),
            lines,
            route=json.loads(row["route"]),
            totes=json.loads(row["totes"]),
            state=WorkState(row["state"]),
            pending_put=PendingPut(*put) if put else None,
            typed_qty=row["typed_qty"],
            awaiting_short_reason=bool(row["awaiting_short_reason"]),
        )
        self._seen[work_id] = _unit_row(unit)
        self._seen.update(raw)  # rows as stored: save() writes only lines that differ from them
        return unit

    def _line(self, r: Any) -> PickLine:
        # A deadline from another boot means nothing on this boot clock: expired until a pull renews it.
        deadline = r["lease_deadline_boot"] if r["lease_boot_id"] == self.boot_id else EXPIRED
        steps = [Step(k, u, lot) for k, u, lot in json.loads(r["steps"])]
        return PickLine(
            r["line_id"],
            r["order_id"],
            r["sku"],
            r["product_name"],
            r["location"],
            r["qty"],
            r["sequence"],
            Lease(r["lease_token"], deadline),
            r["lot"],
            r["picked"],
            LineStatus(r["status"]),
            bool(r["location_confirmed"]),
            steps,
            r["short_reason"],
        )

    def active(self) -> WorkUnit | None:
        q = (
            select(t.work_units.c.work_id)
            .where(t.work_units.c.state != WorkState.CLOSED.value)
            .order_by(t.work_units.c.created_wall)
            .limit(1)
        )
        work_id = self.conn.execute(q).scalar()
        return self.get(work_id) if work_id else None

    def add(self, unit: WorkUnit) -> None:
        self.conn.execute(insert(t.work_units), {**_unit_row(unit), "created_wall": self.wall})
        rows = [_line_row(ln, unit.work_id, self.boot_id) for ln in unit.lines]
        if rows:
            self.conn.execute(insert(t.work_lines), rows)

    def save(self, unit: WorkUnit) -> None:
        row = _unit_row(unit)
        if self._seen.get(unit.work_id) != row:
            self.conn.execute(_UPD_UNIT, {"k_work": unit.work_id, **row})
            self._seen[unit.work_id] = row
        for ln in unit.lines:
            line_row = _line_row(ln, unit.work_id, self.boot_id)
            if self._seen.get(ln.line_id) != line_row:
                self.conn.execute(_UPD_LINE, {"k_line": ln.line_id, **line_row})
                self._seen[ln.line_id] = line_row


def _pack_row(o: PackOrder) -> dict[str, Any]:
    lines = [[ln.sku, ln.product_name, ln.qty, ln.weight_g, list(ln.dims_mm), ln.verified] for ln in o.lines]
    return {
        "order_id": o.order_id,
        "tote": o.tote,
        "state": o.state.value,
        "lines": json.dumps(lines),
        "box": o.box,
        "weight_g": o.weight_g,
        "extra": json.dumps(o.extra),
    }


class SqlPackRepository:
    """Orders on this pack bench."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _order(self, r: Any) -> PackOrder:
        lines = [PackLine(s, n, q, w, (d[0], d[1], d[2]), v) for s, n, q, w, d, v in json.loads(r["lines"])]
        return PackOrder(
            r["order_id"],
            lines,
            r["tote"],
            PackState(r["state"]),
            r["box"],
            r["weight_g"],
            json.loads(r["extra"]),
        )

    def get(self, order_id: str) -> PackOrder | None:
        r = self.conn.execute(_SEL_PACK, {"k_order": order_id}).mappings().first()
        return self._order(r) if r else None

    def by_label(self, label: str) -> PackOrder | None:
        q = (
            select(t.pack_orders)
            .where(t.pack_orders.c.state == PackState.VERIFYING.value)
            .where((t.pack_orders.c.tote == label) | (t.pack_orders.c.order_id == label))
        )
        r = self.conn.execute(q).mappings().first()
        return self._order(r) if r else self.get(label)

    def add(self, order: PackOrder) -> None:
        self.conn.execute(insert(t.pack_orders), _pack_row(order))

    def save(self, order: PackOrder) -> None:
        self.conn.execute(_UPD_PACK, {"k_order": order.order_id, **_pack_row(order)})
