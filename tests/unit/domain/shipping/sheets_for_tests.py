"""Two small rate sheets built in code (plain values, not fixtures): a post and an express courier."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from app.domain.shipping.sheets import Band, RateSheet, Service, ServiceLevel, Zone, ZonePrice


def bands(*pairs: tuple[int, str]) -> tuple[Band, ...]:
    return tuple(Band(g, Decimal(p)) for g, p in pairs)


ZONES = (Zone("DE", ("DE",)), Zone("DE-ISL", ("DE",), ("18565", "25938")), Zone("EU", ("AT", "NL", "FR")))

POST = RateSheet(
    carrier="post",
    currency="EUR",
    cutoff=time(16, 0),
    dim_divisor=5000,
    zones=ZONES,
    services=(
        Service(
            "parcel", "Post Parcel", ServiceLevel.STANDARD, 31_500, (1200, 600, 600),
            {
                "DE": ZonePrice(2, bands((2000, "4.99"), (5000, "6.99"), (31_500, "16.49"))),
                "DE-ISL": ZonePrice(4, bands((2000, "9.99"), (31_500, "21.49"))),
                "EU": ZonePrice(4, bands((5000, "13.99"), (31_500, "29.99"))),
            },
        ),
        Service(
            "express", "Post Express", ServiceLevel.EXPRESS, 20_000, (1000, 500, 500),
            {"DE": ZonePrice(1, bands((5000, "11.90"), (20_000, "19.90")))},
        ),
    ),
)  # fmt: skip

COURIER = RateSheet(
    carrier="courier",
    currency="EUR",
    cutoff=time(18, 30),
    dim_divisor=4000,
    zones=ZONES[:1] + ZONES[2:],
    services=(
        Service(
            "standard", "Courier Standard", ServiceLevel.STANDARD, 40_000, (1750, 800, 800),
            {
                "DE": ZonePrice(2, bands((5000, "6.99"), (40_000, "14.99"))),
                "EU": ZonePrice(3, bands((5000, "12.50"), (40_000, "24.00"))),
            },
        ),
        Service(
            "next_day", "Courier Next Day", ServiceLevel.NEXT_DAY, 30_000, (1200, 800, 600),
            {"DE": ZonePrice(1, bands((5000, "12.99"), (30_000, "24.99")))},
        ),
    ),
)  # fmt: skip

SHEETS = (POST, COURIER)
