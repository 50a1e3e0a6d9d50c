"""Reference data for stations: products, locations and operators on the wire, read from the change log
that app.server.stations.models keeps (`ref_changes`, see `note_changes` there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.server.access.models import Operator
from app.server.catalogue.models import Location, Product
from app.server.stations.models import Counter, RefChange
from sync import schemas as w


def product_wire(p: Product) -> w.ProductWire:
    return w.ProductWire(
        sku=p.sku,
        name=p.name,
        barcodes=[w.BarcodeWire(code=b.code, units=b.units) for b in p.barcodes],
        weight_g=p.weight_g,
        dims_mm=(p.length_mm, p.width_mm, p.height_mm),
        lot_tracked=p.lot_tracked,
        expiry_tracked=p.expiry_tracked,
    )


def location_wire(x: Location) -> w.LocationWire:
    return w.LocationWire(
        code=x.code, zone=x.zone, aisle=x.aisle, bay=x.bay, level=x.level, sequence=x.sequence
    )


def operator_wire(o: Operator) -> w.OperatorWire:
    return w.OperatorWire(badge=o.badge, name=o.name, roles=list(o.roles or []), pin_hash=o.pin_hash)


def products_by_sku(session: Session, skus: Sequence[str]) -> list[w.ProductWire]:
    if not skus:
        return []
    rows = session.scalars(
        select(Product).where(Product.sku.in_(sorted(set(skus)))).options(selectinload(Product.barcodes))
    )
    return [product_wire(p) for p in rows]


def locations_by_code(session: Session, codes: Sequence[str]) -> list[w.LocationWire]:
    if not codes:
        return []
    return [
        location_wire(x)
        for x in session.scalars(select(Location).where(Location.code.in_(sorted(set(codes)))))
    ]


def changes_since(session: Session, after: int, limit: int) -> tuple[list[Any], int, bool]:
    """Reference changes after `after` as wire changes; returns (changes, new position, more waiting)."""
    rows = session.execute(
        select(RefChange.id, RefChange.kind, RefChange.key)
        .where(RefChange.id > after)
        .order_by(RefChange.id)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], after, False
    keys: dict[str, list[str]] = {"product": [], "location": [], "operator": []}
    for _id, kind, key in rows:
        keys.setdefault(kind, []).append(key)
    out: list[Any] = [w.ProductChanged(product=p) for p in products_by_sku(session, keys["product"])]
    out += [w.LocationChanged(location=x) for x in locations_by_code(session, keys["location"])]
    if keys["operator"]:
        ops = {
            o.badge: o for o in session.scalars(select(Operator).where(Operator.badge.in_(keys["operator"])))
        }
        for badge in sorted(set(keys["operator"])):
            op = ops.get(badge)
            out.append(
                w.OperatorChanged(operator=operator_wire(op))
                if op is not None and op.active
                else w.OperatorRemoved(badge=badge)
            )
    return out, int(rows[-1][0]), more


def ref_position(session: Session) -> int:
    """The newest reference change number."""
    return int(session.execute(select(Counter.value).where(Counter.name == "ref_changes")).scalar() or 0)


def snapshot_reference(
    session: Session,
) -> tuple[list[w.ProductWire], list[w.LocationWire], list[w.OperatorWire]]:
    """Every product, location and active operator (for a reset)."""
    products = [
        product_wire(p) for p in session.scalars(select(Product).options(selectinload(Product.barcodes)))
    ]
    locations = [location_wire(x) for x in session.scalars(select(Location).order_by(Location.sequence))]
    operators = [operator_wire(o) for o in session.scalars(select(Operator).where(Operator.active.is_(True)))]
    return products, locations, operators
