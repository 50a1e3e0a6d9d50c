"""What a pushed batch holds while its events are applied: the rows it read (RowCache), changed in place and
written back once, and the rows it will insert (WriteQueue), written once when the batch ends (effects.write).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.ingest.effects_rows import (
    LineRow,
    OrderLineRow,
    OrderRow,
    ReservationMap,
    RowMap,
    StockRow,
    WorkOrderRow,
    WorkUnitRow,
    line_rows,
    order_line_rows,
    order_rows,
    stock_rows,
    unit_rows,
    work_order_rows,
)


@dataclass
class RowCache:
    """The rows the batch read (effects_load.load, in the lock order), by id; the handlers change them in
    place and effects.write_rows writes back the ones that changed."""

    lines: RowMap[LineRow] = field(default_factory=line_rows)
    orders: RowMap[OrderRow] = field(default_factory=order_rows)
    order_lines: RowMap[OrderLineRow] = field(default_factory=order_line_rows)
    stock: RowMap[StockRow] = field(default_factory=stock_rows)
    reservations: ReservationMap = field(default_factory=ReservationMap)
    units: RowMap[WorkUnitRow] = field(default_factory=unit_rows)
    work_orders: RowMap[WorkOrderRow] = field(default_factory=work_order_rows)
    #: False: the stock slots were read without locks, and are written as deltas when the batch ends, each
    #: checked then to have held enough for every pick (effects_stock: PostgreSQL, batches without shorts)
    stock_locked: bool = True
    #: per slot read without a lock, the lowest on_hand the batch's picks left, relative to the value read
    stock_low: dict[int, int] = field(default_factory=dict)
    #: per order of the batch held for packing by another station, that station (read at the first pack event)
    pack_holders: dict[int, str] | None = None

    def work_order(self, work_id: int | None, order_id: int) -> WorkOrderRow | None:
        """The order's place in work unit `work_id`, if both were read."""
        found = (wo for wo in self.work_orders.values() if wo.work_id == work_id and wo.order_id == order_id)
        return next(found, None)


@dataclass(slots=True)
class PickRun:
    """Picks of one line from one slot by one operator, in a row in this batch: one StockMove (`move`), whose
    delta grows with each pick and whose note names the picks' events when it is written."""

    line_id: int
    actor: str
    move: dict[str, Any]
    event_ids: list[str]


@dataclass
class WriteQueue:
    """The rows the batch adds, inserted when it ends (one statement or COPY per table, effects.write)."""

    stock_moves: list[dict[str, Any]] = field(default_factory=list)
    order_events: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    count_tasks: list[dict[str, Any]] = field(default_factory=list)
    #: per stock slot, the run of picks its next pick may join (any other move of the slot ends it)
    open_runs: dict[int, PickRun] = field(default_factory=dict)
    #: every run of picks, in order
    runs: list[PickRun] = field(default_factory=list)

    def stock_move(
        self, slot_id: int, delta: int, reason: str, order_id: int | None, note: str, actor: str, at: datetime
    ) -> dict[str, Any]:
        """Queue a StockMove row of the slot (ending the slot's run of picks); the row is returned."""
        self.open_runs.pop(slot_id, None)
        move = {
            "stock_item_id": slot_id,
            "delta": delta,
            "reason": reason,
            "order_id": order_id,
            "note": note[:500],
            "actor": actor[:100],
            "at": at,
        }
        self.stock_moves.append(move)
        return move

    def stock_moves_noted(self) -> list[dict[str, Any]]:
        """The queued stock moves, each run of picks named by its line, count and first and last event."""
        for run in self.runs:
            events = run.event_ids
            if len(events) > 1:
                run.move["note"] = (
                    f"line {run.line_id}, {len(events)} picks, events {events[0]} to {events[-1]}"
                )
        return self.stock_moves
