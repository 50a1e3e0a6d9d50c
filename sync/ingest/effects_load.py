"""The first step of a batch: lock and read every row its events' handlers read (each type's `reads` in
sync.ingest.specs), once, in the global lock order (effects.py), into the batch's row cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from sync import schemas as w
from sync.ingest.bulk import Query, driver_rows_together, is_postgresql
from sync.ingest.effects import BatchContext, as_int
from sync.ingest.specs import Reads, types_reading


def _ids(values: Sequence[Any]) -> list[int]:
    return sorted({i for v in values if (i := as_int(v)) is not None})


def load(ctx: BatchContext, events: Sequence[w.PushEvent]) -> None:
    """Lock and read everything `events` may touch, in the global lock order.

    On PostgreSQL in two round trips: the work lines, then everything else (driver_rows_together runs the
    reads one after the other in the order given, so the lock order holds, and the work units and their orders
    are read, unlocked, after the locks are held, as before: a cancel holding an order lock is seen).
    """
    s, rows = ctx.session, ctx.rows
    leased, by_order = types_reading(Reads.LEASED_LINE), types_reading(Reads.ORDER)
    closing_types, sealing_types = types_reading(Reads.ORDER_WORK_LINES), types_reading(Reads.ORDER_LINES)
    work_types = types_reading(Reads.WORK)
    line_ids = _ids([e.lease.line_id for e in events if e.lease and e.type in leased])
    closing = _ids([e.payload.get("order_id") for e in events if e.type in closing_types])
    sealing = _ids([e.payload.get("order_id") for e in events if e.type in sealing_types])
    work_ids = _ids([e.payload.get("work_id") for e in events if e.type in work_types])
    unleased_orders = _ids([e.payload.get("order_id") for e in events if not e.lease and e.type in by_order])
    rows.lines.read_ids(s, ("id", line_ids), ("order_id", closing))
    order_ids = sorted({ln.order_id for ln in rows.lines.values()} | set(unleased_orders))
    ol_ids = sorted({ln.order_line_id for ln in rows.lines.values()})
    stock_ids = sorted({ln.stock_item_id for ln in rows.lines.values() if ln.stock_item_id is not None})
    if is_postgresql(s):
        _read_together(
            s,
            (rows.orders, rows.orders.ids_query(("id", order_ids))),
            # a sealed order's lines count as packed
            (rows.order_lines, rows.order_lines.ids_query(("id", ol_ids), ("order_id", sealing))),
            (rows.stock, rows.stock.ids_query(("id", stock_ids), lock=rows.stock_locked)),
            (rows.reservations, rows.reservations.query(ol_ids, stock_ids)),
            (rows.units, rows.units.ids_query(("id", work_ids), lock=False)),
            (rows.work_orders, rows.work_orders.ids_query(("work_id", work_ids), lock=False)),
        )
        return
    rows.orders.read_ids(s, ("id", order_ids))
    rows.order_lines.read_ids(s, ("id", ol_ids), ("order_id", sealing))
    rows.stock.read_ids(s, ("id", stock_ids))
    rows.reservations.read(s, ol_ids, stock_ids)
    rows.units.read_ids(s, ("id", work_ids), lock=False)
    rows.work_orders.read_ids(s, ("work_id", work_ids), lock=False)


class _Rows(Protocol):
    def add(self, rows: Iterable[Sequence[Any]]) -> None: ...


def _read_together(session: Session, *reads: tuple[_Rows, Query | None]) -> None:
    """Run the queries (None: nothing to read) in one round trip and add each one's rows to its map."""
    wanted = [(rows, query) for rows, query in reads if query is not None]
    if not wanted:
        return
    for (rows, _query), result in zip(
        wanted, driver_rows_together(session, [query for _rows, query in wanted]), strict=True
    ):
        rows.add(result)
