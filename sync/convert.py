"""Wire models to the station's domain objects (server times become boot-clock deadlines here)."""

from __future__ import annotations

from app.domain.catalogue import Barcode, Location, Product
from app.domain.packing import PackLine, PackOrder
from app.domain.work import Lease, PickLine, WorkKind, WorkUnit
from app.station.services.clock import lease_deadline
from app.station.services.ports import ClaimedWork, Operator
from sync import schemas as w


def product(p: w.ProductWire) -> Product:
    return Product(
        p.sku,
        p.name,
        tuple(Barcode(b.code, b.units) for b in p.barcodes),
        p.weight_g,
        p.dims_mm,
        p.lot_tracked,
        p.expiry_tracked,
    )


def location(x: w.LocationWire) -> Location:
    return Location(x.code, x.zone, x.aisle, x.bay, x.level, x.sequence)


def operator(o: w.OperatorWire) -> Operator:
    return Operator(o.badge, o.name, tuple(o.roles), o.pin_hash)


def work(g: w.WorkGrant, *, boot_now: float, server_now: float, margin_s: float) -> ClaimedWork:
    """A granted work unit with each line's lease deadline on this station's boot clock."""
    lines = [
        PickLine(
            ln.line_id,
            ln.order_id,
            ln.sku,
            ln.product_name,
            ln.location,
            ln.qty,
            ln.sequence,
            Lease(ln.token, lease_deadline(boot_now, server_now, ln.expires_at, margin_s)),
            ln.lot,
        )
        for ln in g.lines
    ]
    unit = WorkUnit(g.work_id, WorkKind(g.kind), list(g.orders), lines)
    return ClaimedWork(unit, [product(p) for p in g.products], [location(x) for x in g.locations])


def pack_order(g: w.PackGrant) -> PackOrder:
    lines = [PackLine(ln.sku, ln.product_name, ln.qty, ln.weight_g, ln.dims_mm) for ln in g.lines]
    return PackOrder(g.order_id, lines, g.tote)
