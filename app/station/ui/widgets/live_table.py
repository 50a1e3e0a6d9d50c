"""A DataTable that refreshes in place: changed cells are updated, the cursor stays on its row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


class LiveTable(DataTable[Cell]):
    """Subclasses set COLUMNS ((label, key, width), …) and call `sync(rows)` with (row key, cells) pairs.

    Fixed column widths keep the layout still while the values change; a column is never narrower than its
    label, so no header is ever cut.
    """

    COLUMNS: tuple[tuple[str, str, int], ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        for label, key, width in self.COLUMNS:
            self.add_column(label, key=key, width=max(width, len(label)))

    def sync(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
        """Show `rows`: update changed cells when the rows are the same, else rebuild keeping the cursor."""
        keys = [key for key, _ in rows]
        if keys == [str(k.value) for k in self.rows]:
            for key, cells in rows:
                for (_, column, _), value in zip(self.COLUMNS, cells, strict=True):
                    if self.get_cell(key, column) != value:
                        self.update_cell(key, column, value)
            return
        selected = self.selected_key()
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False)

    def selected_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value)


def age(seconds: float | None) -> str:
    """A short age: 45s, 12m, 3h05m; '—' when unknown."""
    if seconds is None:
        return "—"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"
