"""Helpers of `aisle scan`: label rules from settings, a catalogue from a file, and one line per event."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import UserError
from app.domain.catalogue import Barcode, Product
from app.domain.errors import DomainError
from app.domain.scanning import (
    Invalid,
    Meaning,
    OrderLabelScan,
    ProductScan,
    SsccScan,
    Unknown,
)
from devices.scan import GS, RejectedFrame, Scan, ScannerEvent, ScannerStatus

if TYPE_CHECKING:  # the GS1 parser (biip) loads when a scan is described, not for every `aisle` command
    from app.domain.gs1 import ElementRow


@dataclass
class FileCatalogue:
    """An in-memory catalogue; with no location list, any label that matches the location pattern is known."""

    products: dict[str, tuple[Product, int]] = field(default_factory=dict)
    locations: set[str] | None = None

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        return self.products.get(key)

    def location_exists(self, code: str) -> bool:
        return self.locations is None or code in self.locations

    def add(self, product: Product) -> None:
        for barcode in product.barcodes:
            self.products[barcode.key] = (product, barcode.units)


def load_catalogue(products: Path | None, locations: Path | None) -> FileCatalogue:
    """Products from .json ([{sku, name, barcodes}]) or .csv (sku,name,barcode,units); locations 1 a line."""
    catalogue = FileCatalogue()
    if products is not None:
        try:
            for product in _read_products(products):
                catalogue.add(product)
        except (OSError, ValueError, KeyError, TypeError, DomainError) as exc:
            raise UserError(f"cannot read the catalogue {products}: {exc}") from None
    if locations is not None:
        try:
            lines = locations.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UserError(f"cannot read the locations {locations}: {exc}") from None
        catalogue.locations = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return catalogue


def _read_products(path: Path) -> Iterable[Product]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        for item in json.loads(text):
            barcodes = tuple(_barcode(b) for b in item.get("barcodes", ()))
            yield Product(str(item["sku"]), str(item["name"]), barcodes)
        return
    rows: dict[str, tuple[str, list[Barcode]]] = {}
    for row in csv.DictReader(text.splitlines()):
        name, codes = rows.setdefault(row["sku"], (row["name"], []))
        if row.get("barcode"):
            codes.append(Barcode(row["barcode"].strip(), int(row.get("units") or 1)))
    for sku, (name, codes) in rows.items():
        yield Product(sku, name, tuple(codes))


def _barcode(value: Any) -> Barcode:
    if isinstance(value, dict):
        return Barcode(str(value["code"]), int(value.get("units", 1)))
    return Barcode(str(value))


def show_text(text: str) -> str:
    """Scan text for a terminal: GS as <GS>, other control characters escaped."""
    shown = text.replace(GS, "<GS>")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


def event_line(
    event: ScannerEvent, meaning: Meaning | None = None, elements: Iterable[ElementRow] = ()
) -> str:
    """One line for `aisle scan`: time, what happened, and for a scan what it means and what it carries."""
    clock = datetime.now().strftime("%H:%M:%S.%f")[:-3]
    if isinstance(event, ScannerStatus):
        detail = f": {event.detail}" if event.detail else ""
        return f"{clock}  {event.state.upper()}  {event.source}{detail}"
    if isinstance(event, RejectedFrame):
        return f"{clock}  REJECTED  {event.raw[:60]!r}  {event.reason}"
    assert isinstance(event, Scan)
    symbology = " ".join(p for p in (event.aim, event.symbology, "GS1" if event.gs1 else None) if p) or "-"
    line = f"{clock}  SCAN  {event.source}  [{symbology}]  {show_text(event.text)}"
    if meaning is not None:
        line = f"{line}\n{'':14}→ {describe(meaning)}"
    return line + "".join(f"\n{row}" for row in element_lines(elements))


def element_lines(elements: Iterable[ElementRow]) -> list[str]:
    """One line per GS1 element under the meaning: ``(10) BATCH/LOT  ABC123``, titles aligned."""
    rows = list(elements)
    width = max((len(r.ai) + len(r.title) for r in rows), default=0) + 3
    return [f"{'':16}{f'({r.ai}) {r.title}':<{width}}  {r.value}" for r in rows]


def describe(meaning: Meaning) -> str:
    """What a scan means, in the words an installer checks."""
    if isinstance(meaning, ProductScan):
        extras = [
            f"{k} {v}"
            for k, v in (
                ("GTIN", meaning.gtin),
                ("lot", meaning.lot),
                ("expiry", meaning.expiry),
                ("serial", meaning.serial),
                ("weight g", meaning.weight_g),
            )
            if v is not None
        ]
        p = meaning.product
        tail = f" ({', '.join(extras)})" if extras else ""
        return f"product {p.name} ({p.sku}) × {meaning.units}{tail}"
    if isinstance(meaning, (Invalid, Unknown)):
        return f"{type(meaning).__name__.upper()}: {meaning.reason}"
    if isinstance(meaning, OrderLabelScan):
        return f"order label {meaning.code} (order {meaning.order_ref})"
    if isinstance(meaning, SsccScan):
        return f"logistic unit SSCC {meaning.sscc}"
    kind = type(meaning).__name__.removesuffix("Scan").lower()
    value = getattr(meaning, "code", None) or getattr(meaning, "command", "")
    return f"{kind} {value}"
