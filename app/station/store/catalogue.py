"""The station's catalogue slice and operators; also the CatalogueLookup that scan interpretation uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.dialects.sqlite import insert

from app.domain.catalogue import Barcode, Location, Product
from app.station.services.ports import Operator, ReferenceState
from app.station.store import tables as t


def _dims(text: str) -> tuple[int, int, int]:
    a, b, c = (int(x) for x in text.split("x"))
    return a, b, c


_SCANNED, _ALL = t.barcodes.alias("scanned"), t.barcodes.alias("all_codes")
# One round trip per scan: the product, all its barcodes, and how many units the scanned one counts.
_SEL_BY_BARCODE = (
    select(t.products, _ALL.c.code, _ALL.c.units, _SCANNED.c.units.label("scanned_units"))
    .join_from(_SCANNED, t.products, _SCANNED.c.sku == t.products.c.sku)
    .join(_ALL, _ALL.c.sku == t.products.c.sku)
    .where(_SCANNED.c.key == bindparam("k"))
)
_SEL_PRODUCT = select(t.products).where(t.products.c.sku == bindparam("k"))
_SEL_CODES = select(t.barcodes.c.code, t.barcodes.c.units).where(t.barcodes.c.sku == bindparam("k"))
_SEL_LOCATION = select(t.locations.c.code).where(t.locations.c.code == bindparam("k"))
_SEL_OPERATOR = select(t.operators).where(t.operators.c.badge == bindparam("k"))
_SEL_REFERENCE = select(t.sync_state.c.reference_loaded, t.sync_state.c.first_pull_wall)


def _product(row: Any, codes: list[tuple[str, int]]) -> Product:
    return Product(
        row["sku"],
        row["name"],
        tuple(Barcode(c, u) for c, u in codes),
        row["weight_g"],
        _dims(row["dims_mm"]),
        bool(row["lot_tracked"]),
        bool(row["expiry_tracked"]),
    )


class SqlCatalogue:
    """Products by barcode key (GTIN as 14 digits, internal code as typed) and known locations."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        rows = self.conn.execute(_SEL_BY_BARCODE, {"k": key}).mappings().all()
        if not rows:
            return None
        return _product(rows[0], [(r["code"], r["units"]) for r in rows]), rows[0]["scanned_units"]

    def product(self, sku: str) -> Product | None:
        row = self.conn.execute(_SEL_PRODUCT, {"k": sku}).mappings().first()
        if row is None:
            return None
        return _product(row, [(c, u) for c, u in self.conn.execute(_SEL_CODES, {"k": sku})])

    def location_exists(self, code: str) -> bool:
        return self.conn.execute(_SEL_LOCATION, {"k": code}).first() is not None

    def upsert_products(self, products: list[Product]) -> None:
        if not products:
            return
        rows = [
            {
                "sku": p.sku,
                "name": p.name,
                "weight_g": p.weight_g,
                "dims_mm": "x".join(map(str, p.dims_mm)),
                "lot_tracked": p.lot_tracked,
                "expiry_tracked": p.expiry_tracked,
            }
            for p in products
        ]
        stmt = insert(t.products)
        cols = {c: stmt.excluded[c] for c in ("name", "weight_g", "dims_mm", "lot_tracked", "expiry_tracked")}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["sku"], set_=cols), rows)
        self.conn.execute(delete(t.barcodes).where(t.barcodes.c.sku.in_([p.sku for p in products])))
        codes = [
            {"key": b.key, "code": b.code, "sku": p.sku, "units": b.units}
            for p in products
            for b in p.barcodes
        ]
        if codes:
            bstmt = insert(t.barcodes)
            set_ = {"code": bstmt.excluded.code, "sku": bstmt.excluded.sku, "units": bstmt.excluded.units}
            self.conn.execute(bstmt.on_conflict_do_update(index_elements=["key"], set_=set_), codes)

    def upsert_locations(self, locations: list[Location]) -> None:
        if not locations:
            return
        rows: list[dict[str, Any]] = [
            {
                "code": x.code,
                "zone": x.zone,
                "aisle": x.aisle,
                "bay": x.bay,
                "level": x.level,
                "sequence": x.sequence,
            }
            for x in locations
        ]
        stmt = insert(t.locations)
        set_ = {c: stmt.excluded[c] for c in ("zone", "aisle", "bay", "level", "sequence")}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["code"], set_=set_), rows)


class SqlOperators:
    """Operators allowed to sign in here, as the server last sent them."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_badge(self, badge: str) -> Operator | None:
        r = self.conn.execute(_SEL_OPERATOR, {"k": badge}).mappings().first()
        if r is None:
            return None
        return Operator(r["badge"], r["name"], tuple(x for x in r["roles"].split(",") if x), r["pin_hash"])

    def upsert(self, operators: list[Operator]) -> None:
        if not operators:
            return
        rows = [
            {"badge": o.badge, "name": o.name, "roles": ",".join(o.roles), "pin_hash": o.pin_hash}
            for o in operators
        ]
        stmt = insert(t.operators)
        set_ = {c: stmt.excluded[c] for c in ("name", "roles", "pin_hash")}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["badge"], set_=set_), rows)

    def remove(self, badge: str) -> None:
        self.conn.execute(delete(t.operators).where(t.operators.c.badge == badge))

    def reference(self) -> ReferenceState:
        row = self.conn.execute(_SEL_REFERENCE).first()
        if row is None:
            return ReferenceState(False)
        return ReferenceState(bool(row[0]), None if row[1] is None else float(row[1]))
