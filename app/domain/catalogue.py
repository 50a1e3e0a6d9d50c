"""Products and locations: what the warehouse holds and where."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationFailed
from app.domain.gtin import gtin_problem


class BarcodeKind(StrEnum):
    GTIN = "gtin"  # EAN-8/13, UPC-A, GTIN-14: check digit validated, compared in 14-digit form
    INTERNAL = "internal"  # an internal SKU label (usually Code 128), compared as text


@dataclass(frozen=True, slots=True)
class Barcode:
    """One barcode of a product; `units` > 1 marks a case barcode (one scan = N units)."""

    code: str
    units: int = 1

    @property
    def kind(self) -> BarcodeKind:
        return (
            BarcodeKind.GTIN
            if self.code.isdigit() and len(self.code) in (8, 12, 13, 14)
            else (BarcodeKind.INTERNAL)
        )

    @property
    def key(self) -> str:
        """The form used for lookups: GTINs as 14 digits, internal codes as typed."""
        return self.code.zfill(14) if self.kind is BarcodeKind.GTIN else self.code


@dataclass(frozen=True, slots=True)
class Product:
    """A SKU with its barcodes, unit weight (g), dimensions (mm) and tracking flags."""

    sku: str
    name: str
    barcodes: tuple[Barcode, ...] = ()
    weight_g: int = 0
    dims_mm: tuple[int, int, int] = (0, 0, 0)
    lot_tracked: bool = False
    expiry_tracked: bool = False

    def __post_init__(self) -> None:
        problems = product_problems(self)
        if problems:
            raise ValidationFailed(f"product {self.sku or '(no sku)'}: " + "; ".join(problems))


def product_problems(p: Product) -> list[str]:
    """Everything wrong with a product, as messages; empty when it is valid."""
    problems: list[str] = []
    if not p.sku or not p.sku.strip():
        problems.append("sku is empty")
    if not p.name or not p.name.strip():
        problems.append("name is empty")
    if p.weight_g < 0:
        problems.append("weight_g must not be negative")
    if len(p.dims_mm) != 3 or any(d < 0 for d in p.dims_mm):
        problems.append("dims_mm must be three non-negative numbers [l, w, h]")
    seen: set[str] = set()
    for b in p.barcodes:
        if not b.code:
            problems.append("a barcode is empty")
            continue
        if b.units < 1:
            problems.append(f"barcode {b.code}: units must be at least 1")
        if b.kind is BarcodeKind.GTIN and (why := gtin_problem(b.code)):
            problems.append(f"barcode {b.code}: {why}")
        if b.key in seen:
            problems.append(f"barcode {b.code} is listed twice")
        seen.add(b.key)
    return problems


@dataclass(frozen=True, slots=True)
class Location:
    """A pick face or storage bin; `sequence` is its place on the walking path."""

    code: str
    zone: str = ""
    aisle: str = ""
    bay: str = ""
    level: str = ""
    sequence: int = 0

    def __post_init__(self) -> None:
        if not self.code or not self.code.strip():
            raise ValidationFailed("location code is empty")
