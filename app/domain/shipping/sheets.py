"""Rate sheets as data: a carrier's services, its destination zones and each service's price per weight band.

Units are Aisle's: grams and millimetres. A sheet is built once (from carriers.toml) and read for every
choice, so it indexes its zones at construction: finding a destination's zone is a few dict lookups
(one per postcode prefix length), never a scan of the zones.
"""

from __future__ import annotations

import bisect
import enum
import math
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal


class ServiceLevel(enum.IntEnum):
    """What an order asks for; a higher level also satisfies a lower request (express may carry standard)."""

    STANDARD = 1
    EXPRESS = 2
    NEXT_DAY = 3

    @property
    def code(self) -> str:
        """The level as written in files and the API: standard, express, next_day."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> ServiceLevel:
        """`standard`, `express`, `next_day` (or `next-day`) to the level; ValueError names the text."""
        try:
            return cls[text.strip().upper().replace("-", "_")]
        except KeyError:
            raise ValueError(f"unknown service level {text!r} (standard, express or next_day)") from None


@dataclass(frozen=True, slots=True)
class Parcel:
    """A parcel as it will be handed over: actual weight and outer size."""

    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int

    @property
    def sides_mm(self) -> tuple[int, int, int]:
        """The three sides, longest first (limits compare side by side in this order)."""
        a, b, c = sorted((self.length_mm, self.width_mm, self.height_mm), reverse=True)
        return a, b, c

    def dimensional_g(self, divisor: int) -> int:
        """L×W×H / divisor in grams, rounded up. The divisor is the carriers' cm³ per kg (5000 typical);
        mm³ / (cm³/kg) happens to be grams."""
        return math.ceil(self.length_mm * self.width_mm * self.height_mm / divisor)

    def chargeable_g(self, divisor: int) -> int:
        """What the carrier bills: the larger of the actual and the dimensional weight."""
        return max(self.weight_g, self.dimensional_g(divisor))


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a parcel goes: ISO country code and postcode (spaces and case do not matter)."""

    country: str
    postcode: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """(country, postcode) normalised: upper case, no spaces."""
        return self.country.strip().upper(), self.postcode.replace(" ", "").upper()


@dataclass(frozen=True, slots=True)
class Zone:
    """A destination zone: countries, optionally narrowed to postcode prefixes (an island, a city)."""

    code: str
    countries: tuple[str, ...]
    postcode_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Band:
    """A weight band: chargeable weights up to and including `up_to_g` cost `price`."""

    up_to_g: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class ZonePrice:
    """One service's price list for one zone: transit working days and ascending weight bands."""

    transit_days: int
    bands: tuple[Band, ...]
    _limits: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        limits = tuple(b.up_to_g for b in self.bands)
        if not limits or list(limits) != sorted(set(limits)):
            raise ValueError("weight bands must be given, each heavier than the one before")
        object.__setattr__(self, "_limits", limits)

    def band_for(self, chargeable_g: int) -> Band | None:
        """The band that prices `chargeable_g`, or None when it is heavier than the last band."""
        i = bisect.bisect_left(self._limits, chargeable_g)
        return self.bands[i] if i < len(self.bands) else None


@dataclass(frozen=True, slots=True)
class Service:
    """A carrier's service: its level, handling limits and a price per zone it serves."""

    code: str
    name: str
    level: ServiceLevel
    max_weight_g: int
    max_sides_mm: tuple[int, int, int]  # longest first, compared with the parcel's sides longest first
    prices: dict[str, ZonePrice]


@dataclass(frozen=True, slots=True)
class RateSheet:
    """One carrier account's sheet: currency, daily cut-off, dimensional divisor, zones and services."""

    carrier: str
    currency: str
    cutoff: time
    dim_divisor: int
    zones: tuple[Zone, ...]
    services: tuple[Service, ...]
    _by_key: dict[tuple[str, str], Zone] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], Zone] = {}
        for zone in self.zones:
            for country in zone.countries:
                for prefix in zone.postcode_prefixes or ("",):
                    key = (country.upper(), prefix.replace(" ", "").upper())
                    if key in index:
                        raise ValueError(f"zones {index[key].code} and {zone.code} both claim {key}")
                    index[key] = zone
        object.__setattr__(self, "_by_key", index)

    def zone_for(self, destination: Destination) -> Zone | None:
        """The most specific zone for `destination`: the longest matching postcode prefix, else the zone of
        the whole country, else None (the carrier does not go there)."""
        country, postcode = destination.key
        for length in range(len(postcode), -1, -1):
            zone = self._by_key.get((country, postcode[:length]))
            if zone is not None:
                return zone
        return None
