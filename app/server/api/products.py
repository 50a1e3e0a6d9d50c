"""/products: bulk upsert and lookup."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.server.api.deps import CallerDep, DbDep, SessionDep, WriterDep
from app.server.api.views import product_out
from app.server.catalogue.models import Product
from app.server.catalogue.schemas import ProductIn, ProductOut, UpsertResult
from app.server.catalogue.upserts import upsert_products
from app.server.db.tx import run_write
from app.server.errors import all_to_domain, not_found

router = APIRouter(prefix="/products", tags=["products"])


@router.post("", response_model=UpsertResult)
def put_products(body: list[ProductIn], db: DbDep, _caller: WriterDep) -> UpsertResult:
    """Create or update products by SKU (their barcodes are replaced by the ones sent)."""
    domain = all_to_domain(body)
    created, updated = run_write(db, lambda s: upsert_products(s, domain), retry_integrity=True)
    return UpsertResult(created=created, updated=updated)


@router.get("/{sku}", response_model=ProductOut)
def get_product(sku: str, session: SessionDep, _caller: CallerDep) -> ProductOut:
    """One product with its barcodes."""
    p = session.scalars(
        select(Product).where(Product.sku == sku).options(selectinload(Product.barcodes))
    ).first()
    if p is None:
        raise not_found("Product", sku)
    return product_out(p, list(p.barcodes))


@router.get("", response_model=list[ProductOut])
def list_products(
    session: SessionDep,
    _caller: CallerDep,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[ProductOut]:
    """Products ordered by SKU, one page at a time."""
    rows = session.scalars(
        select(Product)
        .order_by(Product.sku)
        .limit(limit)
        .offset(offset)
        .options(selectinload(Product.barcodes))
    ).all()
    return [product_out(p, list(p.barcodes)) for p in rows]
