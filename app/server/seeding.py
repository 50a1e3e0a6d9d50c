"""A realistic sample warehouse, deterministic for a given seed.

Zones, aisles, bays and levels on a serpentine walking path; SKUs with valid GTINs (some with case barcodes,
some lot-tracked with expiry); stock; operators; and orders with mixed priorities and payment states (some end
up backordered or on hold).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.domain.catalogue import Barcode, Location, Product
from app.domain.gtin import with_check_digit
from app.domain.orders import Address, Customer, OrderLineRequest, OrderRequest, PaymentStatus, Priority
from app.server.access.operators import upsert_operator
from app.server.catalogue.models import Location as LocationRow
from app.server.catalogue.models import Product as ProductRow
from app.server.catalogue.upserts import upsert_locations, upsert_products
from app.server.orders.intake import take_order
from app.server.stock.models import StockItem, StockMove

ZONES = "ABCD"
AISLES, BAYS, LEVELS = 8, 10, 4
ADJECTIVES = [
    "Red",
    "Blue",
    "Green",
    "Black",
    "White",
    "Oak",
    "Steel",
    "Organic",
    "Mini",
    "Large",
    "Classic",
    "Eco",
]
NOUNS = [
    "Mug",
    "Bowl",
    "Lamp",
    "Candle",
    "Notebook",
    "Backpack",
    "Bottle",
    "Towel",
    "Kettle",
    "Plate",
    "Pillow",
    "Glass",
    "Scarf",
    "Tea",
    "Coffee",
    "Honey",
    "Jam",
    "Soap",
    "Shampoo",
    "Spoon",
]
FOOD = {"Tea", "Coffee", "Honey", "Jam"}
OPERATORS = [
    ("OP-1001", "Alex Picker", ["picker"]),
    ("OP-1002", "Sam Picker", ["picker"]),
    ("OP-1003", "Kim Packer", ["packer"]),
    ("OP-1004", "Lee Packer", ["packer", "picker"]),
    ("OP-1005", "Robin Returns", ["returns"]),
    ("OP-1006", "Jo Supervisor", ["supervisor", "picker", "packer"]),
]
#: every seeded operator's PIN (printed by `aisle seed`; change them in production)
OPERATOR_PIN = "1234"


@dataclass
class SeedReport:
    locations: int
    products: int
    stock_slots: int
    orders: dict[str, int]
    operators: list[str]


def locations() -> list[Location]:
    """Serpentine path: zone by zone, aisles in order, bays up one aisle and down the next, levels up."""
    out, seq = [], 0
    for zone in ZONES:
        for aisle in range(1, AISLES + 1):
            bays = range(1, BAYS + 1) if aisle % 2 else range(BAYS, 0, -1)
            for bay in bays:
                for level in range(1, LEVELS + 1):
                    seq += 10
                    out.append(
                        Location(
                            f"{zone}-{aisle:02d}-{bay:02d}-{level}",
                            zone,
                            f"{aisle:02d}",
                            f"{bay:02d}",
                            str(level),
                            seq,
                        )
                    )
    return out


def products(n: int, rng: random.Random) -> list[Product]:
    out = []
    for i in range(n):
        noun = NOUNS[i % len(NOUNS)]
        name = f"{ADJECTIVES[(i // len(NOUNS)) % len(ADJECTIVES)]} {noun} {100 + i}"
        ean = with_check_digit(f"400{i:09d}")  # EAN-13 with a fictitious company prefix
        codes = [Barcode(ean)]
        if i % 5 == 0:  # a case of 6 or 12: GTIN-14 with indicator digit 1
            codes.append(Barcode(with_check_digit("1" + ean[:-1]), units=rng.choice((6, 12))))
        if i % 7 == 0:
            codes.append(Barcode(f"SKU{i:05d}"))  # internal Code 128 label
        food = noun in FOOD
        out.append(
            Product(
                f"SKU-{i:05d}",
                name,
                tuple(codes),
                weight_g=rng.randint(50, 2500),
                dims_mm=(rng.randint(30, 400), rng.randint(30, 300), rng.randint(10, 300)),
                lot_tracked=food,
                expiry_tracked=food,
            )
        )
    return out


def _stock(session: Session, prods: list[Product], rng: random.Random, today: date) -> int:
    pid = dict(session.execute(select(ProductRow.sku, ProductRow.id)).tuples().all())
    lid = list(session.execute(select(LocationRow.id).order_by(LocationRow.sequence)).scalars())
    rows = []
    for i, p in enumerate(prods):
        if i % 11 == 3:
            continue  # some SKUs are out of stock: their orders will be backordered
        for k in range(1 if i % 3 else 2):
            lot = f"LOT-{i:05d}-{k + 1}" if p.lot_tracked else ""
            expiry = today + timedelta(days=rng.randint(20, 400)) if p.expiry_tracked else None
            rows.append(
                {
                    "product_id": pid[p.sku],
                    "location_id": lid[(i * 7 + k * 131) % len(lid)],
                    "lot": lot,
                    "expiry": expiry,
                    "on_hand": rng.randint(3, 60),
                    "reserved": 0,
                }
            )
    ids = session.execute(
        insert(StockItem).returning(StockItem.id, sort_by_parameter_order=True), rows
    ).scalars()
    session.execute(
        insert(StockMove),
        [
            {
                "stock_item_id": sid,
                "delta": r["on_hand"],
                "reason": "receipt",
                "note": "seed",
                "actor": "seed",
            }
            for sid, r in zip(ids, rows, strict=True)
        ],
    )
    return len(rows)


def seed(
    session: Session, *, skus: int = 3000, orders: int = 300, seed: int = 1, today: date | None = None
) -> SeedReport:
    """Fill an empty server database with a sample warehouse."""
    rng = random.Random(seed)
    today = today or date.today()
    if session.scalar(select(func.count()).select_from(ProductRow)):
        raise ValueError("the database already holds products; seed an empty database")
    locs, prods = locations(), products(skus, rng)
    upsert_locations(session, locs)
    upsert_products(session, prods)
    slots = _stock(session, prods, rng, today)
    for badge, name, roles in OPERATORS:
        upsert_operator(session, badge=badge, name=name, roles=roles, pin=OPERATOR_PIN)
    statuses: dict[str, int] = {}
    cities = [
        ("Berlin", "DE", "10115"),
        ("Hamburg", "DE", "20095"),
        ("Vienna", "AT", "1010"),
        ("Paris", "FR", "75001"),
    ]
    for n in range(orders):
        city, country, postal = rng.choice(cities)
        lines = rng.sample(prods, rng.choice((1, 1, 2, 2, 3, 4)))
        request = OrderRequest(
            channel=rng.choice(("web", "web", "shopify", "marketplace")),
            external_id=f"S{seed}-{n + 1:05d}",
            lines=tuple(OrderLineRequest(p.sku, rng.choice((1, 1, 1, 2, 3))) for p in lines),
            customer=Customer(f"Customer {n + 1}", f"customer{n + 1}@example.com"),
            ship_to=Address(
                f"Customer {n + 1}", f"{rng.randint(1, 200)} Main Street", "", city, postal, country
            ),
            payment_status=rng.choices(
                [PaymentStatus.PAID, PaymentStatus.AUTHORIZED, PaymentStatus.PENDING], [80, 12, 8]
            )[0],
            priority=rng.choices(list(Priority), [10, 70, 15, 5])[0],
            requested_service=rng.choice(("standard", "standard", "express")),
            promised_ship_date=today + timedelta(days=rng.randint(0, 3)),
        )
        status = take_order(session, request, actor="seed").order.status
        statuses[status] = statuses.get(status, 0) + 1
    return SeedReport(len(locs), len(prods), slots, statuses, [b for b, _, _ in OPERATORS])
