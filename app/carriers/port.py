"""The carrier port: what Aisle asks of any carrier, and the plain values that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from app.domain.shipping.sheets import Destination, Parcel


class CarrierError(Exception):
    """A carrier refused or failed a request; the message says what and which carrier."""


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as a label and a carrier need it."""

    name: str
    lines: tuple[str, ...]
    city: str
    postcode: str
    country: str
    company: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Rate:
    """One service's price for one parcel as the carrier quotes it."""

    carrier: str
    service: str
    price: Decimal
    currency: str
    transit_days: int | None


@dataclass(frozen=True, slots=True)
class ShipRequest:
    """Book one parcel with `service`: who sends it where, and the order it belongs to."""

    service: str
    parcel: Parcel
    ship_from: Address
    ship_to: Address
    reference: str
    label_format: str = "ZPL"  # ZPL or PDF (for a live carrier's own label)


@dataclass(frozen=True, slots=True)
class Shipped:
    """A booked parcel. `label` is None when Aisle renders the label itself (generic carriers)."""

    carrier: str
    service: str
    tracking_number: str
    label: bytes | None = None
    label_format: str | None = None


@dataclass(frozen=True, slots=True)
class Voided:
    """A voided parcel: `at_carrier` is False when there was nothing to cancel outside Aisle."""

    tracking_number: str
    at_carrier: bool


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One scan of the parcel in the carrier's network."""

    at: str
    description: str
    location: str = ""


@dataclass(frozen=True, slots=True)
class Tracking:
    """What the carrier knows of a parcel; a generic carrier has no network and says so (`available`)."""

    tracking_number: str
    available: bool
    status: str = ""
    events: tuple[TrackingEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class CarrierManifest:
    """The carrier's own manifest document, when it issues one (`document` None: Aisle's manifest only)."""

    carrier: str
    tracking_numbers: tuple[str, ...]
    document: bytes | None = None
    identifier: str = ""


class Carrier(Protocol):
    """A carrier account. Generic carriers answer offline; live ones call the carrier through karrio."""

    @property
    def code(self) -> str:
        """The account's code in carriers.toml."""
        ...

    def rate(self, parcel: Parcel, destination: Destination) -> list[Rate]:
        """Prices of every service that takes this parcel to `destination`."""
        ...

    def ship(self, request: ShipRequest) -> Shipped:
        """Book the parcel: its tracking number and, for a live carrier, the carrier's label."""
        ...

    def void(self, tracking_number: str) -> Voided:
        """Cancel a booked parcel (its number is dead either way)."""
        ...

    def track(self, tracking_number: str) -> Tracking:
        """The parcel's tracking events."""
        ...

    def manifest(self, tracking_numbers: Sequence[str]) -> CarrierManifest:
        """Close the day's parcels with the carrier."""
        ...
