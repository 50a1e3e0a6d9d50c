"""The simulated warehouse: a seeded server database, tokens, orders taken in over HTTP and released."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select

from app.cli.seed import seed_database
from app.cli.server import open_database
from app.server.access.auth import create_token
from app.server.catalogue.models import Barcode, Location, Product
from app.server.db.database import Database
from app.server.stock.models import StockItem

#: operators every seeded warehouse has (app.server.seeding.OPERATORS)
PICKER_BADGE = "OP-1001"
PACKER_BADGE = "OP-1003"


@dataclass(frozen=True, slots=True)
class Item:
    """A product the simulator can scan (unit barcode, weight) and how many units are free to order."""

    sku: str
    barcode: str
    weight_g: int
    available: int
    lot_tracked: bool = False

    @property
    def orderable(self) -> bool:
        """Lot-tracked products need GS1 lot labels, which the simulated scanner does not print."""
        return self.available > 0 and not self.lot_tracked


@dataclass
class Catalogue:
    """What the simulated operators need to know about the warehouse."""

    items: dict[str, Item]
    locations: list[str]
    weights: dict[str, int] = field(default_factory=dict)

    def barcode(self, sku: str) -> str:
        return self.items[sku].barcode

    def other_barcode(self, rng: random.Random, not_skus: set[str]) -> str:
        """A real barcode of some product not in `not_skus` (a wrong item)."""
        choices = [i for i in self.items.values() if i.sku not in not_skus]
        return rng.choice(choices).barcode

    def other_location(self, rng: random.Random, not_this: str) -> str:
        return rng.choice([loc for loc in self.locations if loc != not_this])


def prepare_database(url: str, *, skus: int, seed: int) -> Database:
    """Migrate the server database and seed a warehouse (no orders) if it holds no products yet."""
    db = open_database(url)
    with db.session_scope() as s:
        empty = not s.scalar(select(func.count()).select_from(Product))
    if empty:
        seed_database(db, skus=skus, orders=0, seed=seed)
    return db


def make_token(db: Database, role: str, name: str) -> str:
    """A bearer token; station tokens are named after their station (the server checks that)."""
    with db.session_scope(write=True) as s:
        return create_token(s, role, name)


def load_catalogue(db: Database) -> Catalogue:
    """Every product with a unit barcode, with its free stock."""
    with db.session_scope() as s:
        free = dict(
            s.execute(
                select(StockItem.product_id, func.sum(StockItem.on_hand - StockItem.reserved)).group_by(
                    StockItem.product_id
                )
            )
            .tuples()
            .all()
        )
        codes: dict[int, str] = {}
        for pid, code in s.execute(
            select(Barcode.product_id, Barcode.code).where(Barcode.units == 1).order_by(Barcode.id)
        ):
            codes.setdefault(pid, code)
        items: dict[str, Item] = {}
        weights: dict[str, int] = {}
        for p in s.scalars(select(Product)):
            weights[p.sku] = p.weight_g
            if p.id in codes:
                items[p.sku] = Item(p.sku, codes[p.id], p.weight_g, int(free.get(p.id) or 0), p.lot_tracked)
        locations = list(s.scalars(select(Location.code).order_by(Location.sequence)))
    return Catalogue(items, locations, weights)


def order_body(n: int, lines: list[tuple[str, int]], run: str) -> dict[str, Any]:
    return {
        "channel": "simulation",
        "external_id": f"SIM-{run}-{n:05d}",
        "customer": {"name": f"Simulated customer {n}", "email": f"sim{n}@example.com"},
        "ship_to": {
            "name": f"Simulated customer {n}",
            "line1": f"{n} Simulation Road",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "lines": [{"sku": sku, "qty": qty} for sku, qty in lines],
        "payment_status": "paid",
        "priority": "normal",
    }


def plan_orders(cat: Catalogue, count: int, rng: random.Random) -> list[list[tuple[str, int]]]:
    """`count` orders of 1-3 lines (1-2 units each) that the free stock covers, so none is backordered."""
    free = {sku: item.available for sku, item in cat.items.items() if item.orderable}
    orders: list[list[tuple[str, int]]] = []
    for _ in range(count):
        skus = [s for s, q in free.items() if q > 0]
        if not skus:
            break
        lines = []
        for sku in rng.sample(skus, min(len(skus), rng.choice((1, 1, 2, 2, 3)))):
            qty = min(free[sku], rng.choice((1, 1, 2)))
            free[sku] -= qty
            lines.append((sku, qty))
        orders.append(lines)
    return orders


def take_and_release(
    api: httpx.Client, plans: list[list[tuple[str, int]]], run: str
) -> dict[int, list[tuple[str, int]]]:
    """POST each order, then release them all to the floor; {order id: lines} of those released."""
    taken: dict[int, list[tuple[str, int]]] = {}
    for n, lines in enumerate(plans, 1):
        resp = api.post("/api/v1/orders", json=order_body(n, lines, run))
        resp.raise_for_status()
        body = resp.json()
        if body["status"] == "accepted":
            taken[int(body["id"])] = lines
    for start in range(0, len(taken), 5000):
        ids = list(taken)[start : start + 5000]
        api.post("/api/v1/work/release", json={"order_ids": ids, "limit": len(ids)}).raise_for_status()
    return taken
