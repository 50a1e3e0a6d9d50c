"""What a perfect scanner would read next at this station: the demo's "scan for me" key.

It reads the same views the screen shows and answers with the label a careful operator would scan: their
badge (which also claims work), a fresh tote, the location label, the product's barcode (the lot's GS1 label
when the line needs a lot), CMD-DONE to close the tote; at the pack bench the tote that was just picked, each
unit, then the box, the weight and CMD-DONE to seal. Its scans take the same path as a real scanner's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from app.domain.work import ExpectKind
from app.station.services.station import Station


@dataclass(frozen=True, slots=True)
class SuggestedScan:
    text: str
    gs1: bool = False


@dataclass
class Autopilot:
    """Suggests the next scan for `station`; `badge` signs in (and claims work) for every role."""

    station: Station
    badge: str
    tote_prefix: str = "T-9"
    picked_totes: list[str] = field(default_factory=list)
    waiting_label: Callable[[], str | None] | None = None  # a picked order's label from the server, if asked

    def __post_init__(self) -> None:
        self._totes = itertools.count(1)
        self._filling: list[str] = []  # totes started on the current work, handed to packing when closed

    def next_scan(self) -> SuggestedScan | None:
        """The scan that moves the work on, or None when there is nothing to scan (say, no tote to pack)."""
        session = self.station.session_view()
        expect = session.expect
        kind = expect.kind
        if kind in (ExpectKind.BADGE, ExpectKind.WORK):
            return SuggestedScan(self.badge)  # a badge scan signs in, and once signed in claims work
        if kind is ExpectKind.TOTE:
            tote = f"{self.tote_prefix}{next(self._totes):03d}"
            self._filling.append(tote)
            return SuggestedScan(tote)
        if kind is ExpectKind.LOCATION and expect.location:
            return SuggestedScan(expect.location)
        if kind is ExpectKind.PUT and expect.tote:
            return SuggestedScan(expect.tote)
        if kind is ExpectKind.RESUME:
            return SuggestedScan("CMD-RESUME")
        if kind is ExpectKind.CLOSE:
            self.picked_totes.extend(self._filling)
            self._filling.clear()
            return SuggestedScan("CMD-DONE")
        if kind in (ExpectKind.PRODUCT, ExpectKind.UNIT) and expect.sku:
            return self._product(expect.sku)
        if kind is ExpectKind.ORDER_LABEL:
            if self.picked_totes:
                return SuggestedScan(self.picked_totes.pop(0))
            label = self.waiting_label() if self.waiting_label else None
            return SuggestedScan(label) if label else None
        if kind is ExpectKind.SEAL:
            return self._seal()
        return None

    def _product(self, sku: str) -> SuggestedScan | None:
        with self.station.deps.uow.read_only() as uow:
            product = uow.catalogue.product(sku)
        if product is None or not product.barcodes:
            return None
        view = self.station.line_view()
        single = next((b for b in product.barcodes if b.units == 1), product.barcodes[0])
        if product.lot_tracked and view is not None and view.lot and single.code.isdigit():
            # the lot's own label: GTIN, an in-date expiry (AI 17, fixed length) and the lot (AI 10)
            expiry = self.station.deps.clock.today() + timedelta(days=365)
            return SuggestedScan(f"01{single.code.zfill(14)}17{expiry:%y%m%d}10{view.lot}", gs1=True)
        return SuggestedScan(single.code)

    def _seal(self) -> SuggestedScan | None:
        view = self.station.pack_view()
        if view is None:
            return None
        if view.box is None and view.suggested_box:
            return SuggestedScan(f"CMD-BOX-{view.suggested_box}")
        box = self.station.deps.box(view.box or "")
        if view.weight_g is None and box is not None:
            return SuggestedScan(f"CMD-WEIGHT-{view.contents_weight_g + box.tare_g}")
        return SuggestedScan("CMD-DONE")
