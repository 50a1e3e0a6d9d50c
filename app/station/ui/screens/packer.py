"""The packer's terminal: what is in this tote, is what I scanned right, which box, what it weighs, seal."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Label, Static

from app.station.services import commands as c
from app.station.services.views import PackView
from app.station.ui.messages import StationSnapshot, WeightRead
from app.station.ui.modals.override import OverrideModal, OverrideRequest
from app.station.ui.modals.quantity import QuantityModal
from app.station.ui.screens.base import RoleScreen
from app.station.ui.widgets.big_number import BigNumber
from app.station.ui.widgets.pack_lines import PackLinesTable
from app.station.ui.widgets.scan_log import ScanLog
from app.station.ui.widgets.seal_panel import SealInfo, SealPanel
from app.station.ui.widgets.verdict_panel import VerdictPanel


class PackerScreen(RoleScreen):
    """Verifies every unit again; only then box, weigh and seal (or a supervisor's override with a reason)."""

    PURPOSE = "Packing: scan the tote or order label, scan every unit, box, weigh, seal."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "seal", "Seal", tooltip="CMD-SEAL"),
        Binding("b", "next_box", "Box", tooltip="CMD-BOX-<code>"),
        Binding("g", "weight", "Weight", tooltip="CMD-WEIGHT-<grams>"),
        Binding("v", "override", "Override", tooltip="(supervisor badge + PIN + reason)"),
        Binding("t", "type_code", "Type", tooltip="(type a code by hand)"),
        Binding("o", "sign_out", "Sign out", show=False, tooltip="CMD-SIGNOUT"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: PackView | None = None
        self.box: str | None = None  # the packer's choice; None means the suggested box
        self.weight_g: int | None = None
        self.weight_source = ""

    def compose(self) -> ComposeResult:
        yield VerdictPanel("Starting…", id="verdict")
        with Horizontal(id="order-head"):
            yield Label("", id="order-title")
            yield BigNumber("VERIFIED", "", id="verified")
            yield BigNumber("OF", "", id="units")
        yield PackLinesTable(id="pack-lines")
        yield SealPanel("", id="seal")
        yield Static("", id="prompt")
        yield ScanLog(3, id="scans")
        yield Footer()
        yield self.status_bar()

    def render_snapshot(self, snapshot: StationSnapshot) -> None:
        view = snapshot.pack
        if view is None or self.view is None or view.order_id != self.view.order_id:
            self.box, self.weight_g, self.weight_source = None, None, ""  # a new order: fresh choices
        self.view = view
        title = self.query_one("#order-title", Label)
        if view is None:
            title.update("NO ORDER ON THE BENCH")
            self.query_one("#verified", BigNumber).show("")
            self.query_one("#units", BigNumber).show("")
            self.query_one(PackLinesTable).show([])
        else:
            tote = f"  tote {escape(view.tote)}" if view.tote else ""
            title.update(f"ORDER {escape(view.order_id)}{tote}\n{view.state.upper()}")
            self.query_one("#verified", BigNumber).show(str(view.done))
            self.query_one("#units", BigNumber).show(str(view.total))
            self.query_one(PackLinesTable).show(view.lines)
        self._show_seal()

    def _chosen_box(self) -> str | None:
        if self.view is None:
            return None
        return self.box or self.view.box or self.view.suggested_box

    def _weight(self) -> tuple[int | None, str]:
        if self.weight_g is not None:
            return self.weight_g, self.weight_source
        if self.view is not None and self.view.weight_g is not None:
            return self.view.weight_g, "recorded"
        return None, ""

    def _show_seal(self) -> None:
        view, panel = self.view, self.query_one(SealPanel)
        panel.display = view is not None
        if view is None:
            return
        box_code = self._chosen_box()
        weight, source = self._weight()
        expected = allowed = None
        station = self.aisle.terminal.station
        box = station.deps.box(box_code) if station and box_code else None
        if station is not None and box is not None:
            expected = view.contents_weight_g + box.tare_g
            allowed = station.deps.config.tolerance.allowed(expected)
        ready = view.total > 0 and view.done >= view.total and view.state == "verifying"
        suggested = box_code == view.suggested_box and self.box is None and view.box is None
        panel.show(SealInfo(box_code, suggested, weight, source, expected, allowed, ready))

    @on(WeightRead)
    def on_weight_read(self, message: WeightRead) -> None:
        """A stable reading from the bench scale replaces any weight shown."""
        self.weight_g, self.weight_source = message.grams, "scale"
        self._show_seal()
        if self.view is not None:  # recorded on the order, so CMD-DONE seals with it too
            self.submit(c.PrepareSeal(weight_g=message.grams, source="scale"))

    # --- actions --------------------------------------------------------------------------------------

    def action_next_box(self) -> None:
        station = self.aisle.terminal.station
        if station is None or self.view is None:
            return
        codes = [b.code for b in station.deps.config.boxes]
        current = self._chosen_box()
        self.box = codes[(codes.index(current) + 1) % len(codes)] if current in codes else codes[0]
        self._show_seal()
        self.submit(c.PrepareSeal(box=self.box))

    def action_weight(self, then: Callable[[], None] | None = None) -> None:
        """Ask for the weight by hand (when no scale reads it); `then` runs once it is typed."""

        def typed(grams: int | None) -> None:
            if grams:
                self.weight_g, self.weight_source = grams, "typed"
                self._show_seal()
                self.submit(c.PrepareSeal(weight_g=grams))
                if then is not None:
                    then()

        self.app.push_screen(QuantityModal("Weight of the closed box, in grams"), callback=typed)

    def action_seal(self) -> None:
        box, (weight, _) = self._chosen_box(), self._weight()
        if box is None:
            self.submit(c.SealOrder("", 0))  # no order: the station says what to do
        elif weight is None:
            self.action_weight(then=self.action_seal)
        else:
            self.submit(c.SealOrder(box, weight))

    def action_override(self) -> None:

        box, (weight, _) = self._chosen_box(), self._weight()
        if box is not None and weight is None:
            self.action_weight(then=self.action_override)
            return

        def granted(req: OverrideRequest | None) -> None:
            if req is not None:
                self.submit(c.OverrideSeal(box or "", weight or 0, req.badge, req.pin, req.reason))

        self.app.push_screen(OverrideModal(), callback=granted)
