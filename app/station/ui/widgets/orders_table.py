"""Open orders, late ones first, with status, age and priority; a caption counts them by status."""

from __future__ import annotations

from rich.text import Text

from app.station.services.floor import FloorView, OrderRow
from app.station.ui.widgets.live_table import Cell, LiveTable, age


def status_summary(floor: FloorView) -> str:
    """`picking 3 (1 late, 2h05m) · packing 2 (14m)`: counts by status, late ones first."""
    parts = []
    for c in floor.status_counts():
        late = f"[b red]{c.late} late[/], " if c.late else ""
        parts.append(f"{c.status} [b]{c.count}[/] ({late}{age(c.oldest_s)})")
    return " · ".join(parts) or "no open orders"


class OrdersTable(LiveTable):
    """One row per order; the supervisor holds, releases or re-prioritises the row under the cursor."""

    COLUMNS = (
        ("Order", "order", 10),
        ("Status", "status", 12),
        ("Age", "age", 6),
        ("Priority", "priority", 8),
        ("", "late", 5),
    )

    def show(self, floor: FloorView) -> None:
        self.sync([(o.order_id, self._cells(o)) for o in floor.orders_late_first()])

    @staticmethod
    def _cells(o: OrderRow) -> list[Cell]:
        return [
            o.order_id,
            o.status,
            Text(age(o.age_s), justify="right"),
            o.priority,
            Text("LATE", style="bold red") if o.late else "",
        ]
