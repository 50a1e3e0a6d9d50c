"""What a scan means on the floor: the result types of `interpret` (see app.domain.interpret).

A scan is interpreted against the station's catalogue and the configured label rules. Each meaning is a small
frozen dataclass; `Invalid` and `Unknown` carry a precise reason an operator can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from app.domain.catalogue import Product


class CatalogueLookup(Protocol):
    """The part of the catalogue interpretation needs; the station store and test fakes implement it."""

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        """The product and units per scan for a barcode key (GTIN as 14 digits, internal code as text)."""
        ...

    def location_exists(self, code: str) -> bool:
        """True when `code` is a known location."""
        ...


@dataclass(frozen=True, slots=True)
class LabelRules:
    """Internal label patterns (full-match regular expressions) and options, from config [labels]."""

    location: str = r"[A-Z]{1,2}-\d{2}-\d{2}-\d"
    location_check_digit: bool = False
    tote: str = r"T-\d{4,6}"
    badge: str = r"OP-\d{3,6}"
    order: str = r"ORD-\d{1,9}"
    rma: str = r"RMA-\d{1,9}"
    command_prefix: str = "CMD-"
    gs_replacement: str = "~"


@dataclass(frozen=True, slots=True)
class ProductScan:
    """A product: `units` is how many units this scan counts (case barcodes count N)."""

    product: Product
    units: int = 1
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    weight_g: int | None = None


@dataclass(frozen=True, slots=True)
class LocationScan:
    code: str


@dataclass(frozen=True, slots=True)
class ToteScan:
    code: str


@dataclass(frozen=True, slots=True)
class BadgeScan:
    code: str


@dataclass(frozen=True, slots=True)
class OrderLabelScan:
    """An order / pack-slip label; `order_ref` is the text after the label prefix (the server's order id)."""

    code: str
    order_ref: str


@dataclass(frozen=True, slots=True)
class RmaScan:
    code: str


@dataclass(frozen=True, slots=True)
class CommandScan:
    """A command label such as CMD-SHORT; `command` is lower case ('short', 'skip', 'undo', 'done', …)."""

    command: str


@dataclass(frozen=True, slots=True)
class SsccScan:
    """A GS1 SSCC (AI 00): a logistic unit such as a parcel or pallet."""

    sscc: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """Well-formed but not known here (a GTIN not in the catalogue, a label of no configured kind)."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Invalid:
    """Malformed: wrong check digit, broken GS1 element string, unknown AI…"""

    text: str
    reason: str


Meaning = (
    ProductScan
    | LocationScan
    | ToteScan
    | BadgeScan
    | OrderLabelScan
    | RmaScan
    | CommandScan
    | SsccScan
    | Unknown
    | Invalid
)
