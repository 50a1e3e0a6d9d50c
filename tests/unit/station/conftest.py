"""A picker and a packer station on fakes, with a small catalogue and work built like the server grants it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.domain.catalogue import Barcode, Location, Product
from app.domain.gtin import with_check_digit
from app.domain.packing import PackLine, PackOrder
from app.domain.pins import hash_pin
from app.domain.scanning import LabelRules
from app.domain.work import Lease, PickLine, Verdict, WorkKind, WorkUnit
from app.station.services.commands import RecordScan
from app.station.services.deps import StationConfig, StationDeps, domain_interpreter
from app.station.services.ports import ClaimedWork, Operator
from app.station.services.station import Station
from tests.support.fakes import FakeClock, FakeUnitOfWorkFactory, FakeWorkSource

RED = Product(
    "MUG-RED",
    "Red Mug 350ml",
    (Barcode(with_check_digit("400638133393")),),
    weight_g=300,
    dims_mm=(100, 90, 90),
)
BLUE = Product("MUG-BLU", "Blue Mug 350ml", (Barcode(with_check_digit("400638133394")),), weight_g=300)
TEA = Product(
    "TEA-20",
    "Tea 20 bags",
    (Barcode(with_check_digit("500000000001")), Barcode(with_check_digit("1500000000001"), units=6)),
    weight_g=50,
)
HONEY = Product(
    "HONEY",
    "Honey 250g",
    (Barcode(with_check_digit("0761234567890")),),
    weight_g=350,
    lot_tracked=True,
    expiry_tracked=True,
)
PRODUCTS = [RED, BLUE, TEA, HONEY]


def gtin(p: Product, i: int = 0) -> str:
    return p.barcodes[i].code


def gs1(p: Product, lot: str, expiry: str) -> str:
    """A GS1 element string with GTIN, lot and expiry (YYMMDD)."""
    return f"01{p.barcodes[0].code.zfill(14)}10{lot}\x1d17{expiry}"


def line(
    line_id: str,
    product: Product,
    location: str,
    qty: int,
    seq: int,
    order: str = "1001",
    lot: str | None = None,
    token: int = 7,
    deadline: float = 10_000.0,
) -> PickLine:
    return PickLine(
        line_id, order, product.sku, product.name, location, qty, seq, Lease(token, deadline), lot
    )


def single_order_work() -> WorkUnit:
    """Order 1001: 2 Red Mugs at A-03-02-1 and 1 Tea at A-01-01-1 (first on the walk)."""
    return WorkUnit(
        "W-1",
        WorkKind.SINGLE,
        ["1001"],
        [line("L1", RED, "A-03-02-1", 2, 30), line("L2", TEA, "A-01-01-1", 1, 10)],
    )


@dataclass
class Rig:
    """A station under test with its fakes."""

    station: Station
    uow: FakeUnitOfWorkFactory
    clock: FakeClock
    source: FakeWorkSource

    def scan(self, text: str, gs1: bool = False) -> Verdict:
        return self.station.handle(RecordScan(text, gs1=gs1))

    def scans(self, *texts: str) -> list[Verdict]:
        return [self.scan(t) for t in texts]

    def events(self) -> list[str]:
        return [e.type for _, e in self.uow.store.outbox]


def make_rig(role: str, uow: Any = None) -> Rig:
    """A station for `role` on fakes, or on the unit-of-work factory `uow` (SQLite in integration)."""
    uow, clock, source = uow or FakeUnitOfWorkFactory(), FakeClock(), FakeWorkSource()
    with uow() as u:
        u.catalogue.upsert_products(PRODUCTS)
        u.catalogue.upsert_locations([Location(c) for c in ("A-01-01-1", "A-03-02-1", "B-01-01-1")])
        u.operators.upsert(
            [
                Operator("OP-1001", "Ann", ("picker", "packer")),
                Operator("OP-9001", "Sam", ("supervisor",), hash_pin("4321", "salt")),
            ]
        )
        u.commit()
    deps = StationDeps(uow, clock, domain_interpreter(LabelRules()), StationConfig("ST01", role), source)
    return Rig(Station(deps), uow, clock, source)


@pytest.fixture
def picker() -> Rig:
    """A signed-in picker with order 1001 claimed (tote not scanned yet)."""
    rig = make_rig("picker")
    rig.source.pick_queue.append(ClaimedWork(single_order_work()))
    rig.scan("OP-1001")
    from app.station.services.commands import ClaimWork

    rig.station.handle(ClaimWork())
    return rig


@pytest.fixture
def make_picker() -> Callable[[WorkUnit], Rig]:
    def build(unit: WorkUnit) -> Rig:
        rig = make_rig("picker")
        rig.source.pick_queue.append(ClaimedWork(unit))
        rig.scan("OP-1001")
        from app.station.services.commands import ClaimWork

        rig.station.handle(ClaimWork())
        return rig

    return build


def pack_order() -> PackOrder:
    """Order 1001 in tote T-0001: 2 Red Mugs and 1 Tea."""
    return PackOrder(
        "1001",
        [
            PackLine(RED.sku, RED.name, 2, 300, (100, 90, 90)),
            PackLine(TEA.sku, TEA.name, 1, 50, (80, 60, 60)),
        ],
        tote="T-0001",
    )


@pytest.fixture
def packer() -> Rig:
    """A signed-in packer; order 1001 waits on the server in tote T-0001."""
    rig = make_rig("packer")
    order = pack_order()
    rig.source.pack_orders.update({"T-0001": order, "1001": order})
    rig.scan("OP-1001")
    return rig
