"""The order's lines at the pack bench: expected and verified, ticking up with every right scan."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from app.station.services.views import PackLineView

COLUMNS = (
    ("Product", "product", 30),
    ("SKU", "sku", 14),
    ("Qty", "qty", 5),
    ("Verified", "verified", 8),
    ("", "mark", 2),
)


class PackLinesTable(DataTable[str | Text]):
    """One row per SKU; a finished row turns green. Rows are updated in place (no flicker)."""

    DEFAULT_CSS = """
    PackLinesTable { height: auto; max-height: 7; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="none", zebra_stripes=False, **kwargs)

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def show(self, lines: list[PackLineView]) -> None:
        """Show `lines`; rebuild only when the set of SKUs changed, else update the changed cells."""
        keys = [ln.sku for ln in lines]
        if keys != [str(k.value) for k in self.rows]:
            self.clear()
            for ln in lines:
                self.add_row(*self._cells(ln), key=ln.sku)
            return
        for ln in lines:
            for (_, column, _), value in zip(COLUMNS, self._cells(ln), strict=True):
                if self.get_cell(ln.sku, column) != value:
                    self.update_cell(ln.sku, column, value)

    @staticmethod
    def _cells(ln: PackLineView) -> tuple[str | Text, ...]:
        done = ln.verified >= ln.qty
        style = "bold green" if done else ("bold yellow" if ln.verified else "")
        return (
            ln.product[:30],
            ln.sku,
            Text(str(ln.qty), justify="right"),
            Text(str(ln.verified), style=style, justify="right"),
            Text("✔" if done else "", style="bold green"),
        )
