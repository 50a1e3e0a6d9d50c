"""The picker's current line at one glance: where (large), what, how many to take and taken (large), tote."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from app.domain.work import ExpectKind
from app.station.services.views import LineView
from app.station.ui.widgets import show_text
from app.station.ui.widgets.big_number import BigNumber


class PickLinePanel(Vertical):
    """Location, take and taken in large digits; product, SKU, lot and tote below."""

    DEFAULT_CSS = """
    PickLinePanel { height: auto; }
    PickLinePanel > #pick-numbers { height: 4; }
    PickLinePanel #pick-location { width: 1fr; }
    PickLinePanel > #pick-product { height: 1; padding: 0 1; text-style: bold; }
    PickLinePanel > #pick-extra { height: 1; padding: 0 1; }
    PickLinePanel > #pick-extra.-put { background: $warning; color: $text; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="pick-numbers"):
            yield BigNumber("GO TO", "", id="pick-location")
            yield BigNumber("TAKE", "", id="pick-take")
            yield BigNumber("TAKEN", "", id="pick-taken")
        yield Static("", id="pick-product")
        yield Static("", id="pick-extra")

    def show(self, line: LineView | None) -> None:
        """Render the line (or an empty panel when there is no current line)."""
        location = self.query_one("#pick-location", BigNumber)
        take, taken = self.query_one("#pick-take", BigNumber), self.query_one("#pick-taken", BigNumber)
        product, extra = self.query_one("#pick-product", Static), self.query_one("#pick-extra", Static)
        if line is None or line.location is None:
            for big in (location, take, taken):
                big.show("")
            show_text(product, "", layout=False)
            show_text(extra, "", layout=False)
            extra.remove_class("-put")
            return
        location.show(line.location)
        take.show(str(line.qty))
        taken.show(str(line.taken))
        # one row each (DEFAULT_CSS): new text never changes the layout
        show_text(product, f"{escape(line.product or '')}  ({escape(line.sku or '')})", layout=False)
        show_text(extra, self._extra(line), layout=False)
        extra.set_class(line.expect.kind is ExpectKind.PUT, "-put")

    @staticmethod
    def _extra(line: LineView) -> str:
        parts: list[str] = []
        if line.lot:
            parts.append(f"LOT {escape(line.lot)}")
        if line.expect.kind is ExpectKind.PUT and line.expect.tote:
            parts.append(f"PUT INTO TOTE {escape(line.expect.tote)} (order {escape(line.order_id or '')})")
        elif line.tote:
            parts.append(f"Tote {escape(line.tote)} (order {escape(line.order_id or '')})")
        return "   ".join(parts)
