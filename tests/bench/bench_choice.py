"""Service choice: 20 services × 300 zones, target ≤ 2 ms per choice.

Printed beside a floor measured in the same run: the same loop over the same sheets doing only one dict
lookup per service (the least any choice over 20 services can cost in this interpreter).
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from datetime import time as clock
from decimal import Decimal

from app.domain.shipping.choice import ShippingRequest, choose
from app.domain.shipping.sheets import (
    Band,
    Destination,
    Parcel,
    RateSheet,
    Service,
    ServiceLevel,
    Zone,
    ZonePrice,
)

BANDS_G = (1000, 2000, 5000, 10_000, 20_000, 31_500)
COUNTRIES = ["DE", "AT", "NL", "BE", "FR", "IT", "ES", "PL", "CZ", "DK"]


def _zones() -> tuple[Zone, ...]:
    zones = [Zone(c, (c,)) for c in COUNTRIES]
    zones += [Zone(f"{c}-{p:02d}", (c,), (f"{p:02d}",)) for c in COUNTRIES for p in range(29)]
    return tuple(zones)  # 10 countries + 290 postcode areas = 300 zones


def _sheets(rng: random.Random) -> tuple[RateSheet, ...]:
    zones = _zones()
    sheets = []
    for n in range(4):
        services = tuple(
            Service(
                f"s{k}", f"Service {k}", ServiceLevel(1 + k % 3), 31_500, (1200, 600, 600),
                {
                    z.code: ZonePrice(
                        1 + rng.randrange(4),
                        tuple(Band(g, Decimal(rng.randrange(300, 3000)) / 100) for g in BANDS_G),
                    )
                    for z in zones
                },
            )
            for k in range(5)
        )  # fmt: skip
        sheets.append(RateSheet(f"c{n}", "EUR", clock(16), 5000, zones, services))
    return tuple(sheets)


def run() -> None:
    rng = random.Random(13)
    sheets = _sheets(rng)
    assert sum(len(s.services) for s in sheets) == 20 and all(len(s.zones) == 300 for s in sheets)
    cases = [
        (
            Parcel(rng.randrange(100, 30_000), rng.randrange(100, 1000), rng.randrange(100, 600), 150),
            Destination(rng.choice(COUNTRIES), f"{rng.randrange(100_000):05d}"),
            ShippingRequest(rng.choice(list(ServiceLevel))),
        )
        for _ in range(500)
    ]
    now = datetime(2026, 12, 3, 10, 0)
    n = 0
    started = time.perf_counter()
    for _ in range(4):
        for parcel, dest, request in cases:
            choose(parcel, dest, request, now, sheets, ("c2", "c0/s1"))
            n += 1
    per_choice = (time.perf_counter() - started) / n * 1000
    floor_started = time.perf_counter()
    for _ in range(4):
        for _parcel, dest, _request in cases:
            for sheet in sheets:
                for service in sheet.services:
                    service.prices.get(dest.country)
    per_floor = (time.perf_counter() - floor_started) / n * 1000
    print(
        f"choice, 20 services × 300 zones: {per_choice:.3f} ms/choice (target ≤ 2 ms); "
        f"floor (one dict lookup per service, same loop): {per_floor:.4f} ms ({per_choice / per_floor:.0f}×)"
    )
    assert per_choice <= 2.0, f"service choice took {per_choice:.3f} ms, over the 2 ms target"
