"""The exception queue: shorts, wrong-item streaks, weight mismatches, sync conflicts, oldest first."""

from __future__ import annotations

from rich.text import Text

from app.station.services.floor import ExceptionRow
from app.station.ui.widgets.live_table import Cell, LiveTable, age


class ExceptionsTable(LiveTable):
    """One row per open exception; acknowledged ones are dimmed until they leave the queue."""

    COLUMNS = (
        ("Kind", "kind", 10),
        ("Station", "station", 7),
        ("Order", "order", 8),
        ("Age", "age", 5),
        ("What happened", "message", 38),
    )

    def show(self, exceptions: list[ExceptionRow]) -> None:
        ordered = sorted(exceptions, key=lambda e: (e.acknowledged, -e.age_s, e.exception_id))
        self.sync([(e.exception_id, self._cells(e)) for e in ordered])

    @staticmethod
    def _cells(e: ExceptionRow) -> list[Cell]:
        style = "dim" if e.acknowledged else ""
        return [
            Text(e.kind, style=style or "bold"),
            e.station_id,
            e.order_id,
            Text(age(e.age_s), justify="right"),
            Text(e.message[:38], style=style),
        ]
