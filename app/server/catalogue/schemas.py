"""Bodies for products and locations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.catalogue import Barcode
from app.domain.catalogue import Location as DomainLocation
from app.domain.catalogue import Product as DomainProduct
from sync.bodies import RequestBody


class BarcodeIn(RequestBody):
    """A barcode with the units one scan counts (case barcodes: units > 1)."""

    code: str = Field(min_length=1, max_length=64)
    units: int = Field(1, ge=1)


class ProductIn(RequestBody):
    """A product to create or update, keyed by `sku`. Barcodes may be plain strings or {code, units}."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    barcodes: list[BarcodeIn | str] = Field(default_factory=list)
    weight_g: int = Field(0, ge=0)
    dims_mm: list[int] = Field(default_factory=lambda: [0, 0, 0], min_length=3, max_length=3)
    lot_tracked: bool = False
    expiry_tracked: bool = False

    @field_validator("sku", "name")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    def to_domain(self) -> DomainProduct:
        """The domain product (validates GTIN check digits and duplicate barcodes)."""
        codes = [BarcodeIn(code=b, units=1) if isinstance(b, str) else b for b in self.barcodes]
        return DomainProduct(
            sku=self.sku,
            name=self.name,
            barcodes=tuple(Barcode(b.code.strip(), b.units) for b in codes),
            weight_g=self.weight_g,
            dims_mm=(self.dims_mm[0], self.dims_mm[1], self.dims_mm[2]),
            lot_tracked=self.lot_tracked,
            expiry_tracked=self.expiry_tracked,
        )


class ProductOut(BaseModel):
    sku: str
    name: str
    barcodes: list[BarcodeIn]
    weight_g: int
    dims_mm: list[int]
    lot_tracked: bool
    expiry_tracked: bool


class LocationIn(RequestBody):
    """A location to create or update, keyed by `code`; `sequence` is its place on the walking path."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64)
    zone: str = ""
    aisle: str = ""
    bay: str = ""
    level: str = ""
    sequence: int = Field(0, ge=0)

    def to_domain(self) -> DomainLocation:
        return DomainLocation(
            code=self.code.strip(),
            zone=self.zone,
            aisle=str(self.aisle),
            bay=str(self.bay),
            level=str(self.level),
            sequence=self.sequence,
        )


class LocationOut(BaseModel):
    code: str
    zone: str
    aisle: str
    bay: str
    level: str
    sequence: int


class UpsertResult(BaseModel):
    """How many rows a bulk upsert created and updated."""

    created: int
    updated: int
