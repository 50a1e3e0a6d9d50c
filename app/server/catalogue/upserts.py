"""Bulk upserts of products (with barcodes) and locations, validated as a whole before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.domain.catalogue import Location as DomainLocation
from app.domain.catalogue import Product as DomainProduct
from app.server.catalogue.models import Barcode, Location, Product
from app.server.errors import ApiError

T = TypeVar("T")
CHUNK = 500


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _refuse(problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise ApiError(
            422,
            "validation_failed",
            "; ".join(problems[:20]) + more + ". Nothing was saved.",
            problems=problems,
        )


def upsert_products(session: Session, products: Sequence[DomainProduct]) -> tuple[int, int]:
    """Create or update products by SKU, replacing their barcodes. Returns (created, updated)."""
    problems: list[str] = []
    seen_sku: dict[str, int] = {}
    owner_in_batch: dict[str, str] = {}
    for n, p in enumerate(products):
        if p.sku in seen_sku:
            problems.append(f"item {n}: sku {p.sku} also appears as item {seen_sku[p.sku]}")
        seen_sku[p.sku] = n
        for b in p.barcodes:
            other = owner_in_batch.setdefault(b.key, p.sku)
            if other != p.sku:
                problems.append(f"item {n}: barcode {b.code} is also given to {other}")
    existing: dict[str, Product] = {}
    for part in chunks(list(seen_sku)):
        existing.update(
            (row.sku, row) for row in session.scalars(select(Product).where(Product.sku.in_(part)))
        )
    for part in chunks(list(owner_in_batch)):
        for key, sku in session.execute(
            select(Barcode.key, Product.sku).join(Product).where(Barcode.key.in_(part))
        ).tuples():
            if sku != owner_in_batch[key]:
                problems.append(
                    f"barcode {key.lstrip('0')} already belongs to {sku}; "
                    f"it cannot also be {owner_in_batch[key]}'s"
                )
    _refuse(problems)

    created = 0
    for p in products:
        row = existing.get(p.sku)
        if row is None:
            row = Product(sku=p.sku)
            session.add(row)
            existing[p.sku] = row
            created += 1
        row.name, row.weight_g = p.name, p.weight_g
        row.length_mm, row.width_mm, row.height_mm = p.dims_mm
        row.lot_tracked, row.expiry_tracked = p.lot_tracked, p.expiry_tracked
    session.flush()
    ids = [existing[p.sku].id for p in products]
    for id_part in chunks(ids):
        session.execute(delete(Barcode).where(Barcode.product_id.in_(id_part)))
    rows: list[dict[str, Any]] = [
        {"product_id": existing[p.sku].id, "code": b.code, "key": b.key, "units": b.units}
        for p in products
        for b in p.barcodes
    ]
    if rows:
        session.execute(insert(Barcode), rows)
    return created, len(products) - created


def upsert_locations(session: Session, locations: Sequence[DomainLocation]) -> tuple[int, int]:
    """Create or update locations by code. Returns (created, updated)."""
    seen: dict[str, int] = {}
    problems = []
    for n, loc in enumerate(locations):
        if loc.code in seen:
            problems.append(f"item {n}: location {loc.code} also appears as item {seen[loc.code]}")
        seen[loc.code] = n
    _refuse(problems)
    existing: dict[str, Location] = {}
    for part in chunks(list(seen)):
        existing.update(
            (row.code, row) for row in session.scalars(select(Location).where(Location.code.in_(part)))
        )
    created = 0
    for loc in locations:
        row = existing.get(loc.code)
        if row is None:
            row = Location(code=loc.code)
            session.add(row)
            created += 1
        row.zone, row.aisle, row.bay, row.level, row.sequence = (
            loc.zone,
            loc.aisle,
            loc.bay,
            loc.level,
            loc.sequence,
        )
    session.flush()
    return created, len(locations) - created
