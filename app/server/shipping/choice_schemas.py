"""Request and response bodies of /carriers and /shipping/choose (prices as decimal strings, weights in g,
sizes in mm)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from app.carriers.config import Account
from app.domain.shipping.choice import Candidate, Choice, ShippingRequest
from app.domain.shipping.sheets import Destination, Parcel, ServiceLevel
from sync.bodies import RequestBody


class ParcelIn(RequestBody):
    """The parcel: actual weight and outer size."""

    weight_g: int = Field(gt=0, le=1_000_000)
    length_mm: int = Field(gt=0, le=10_000)
    width_mm: int = Field(gt=0, le=10_000)
    height_mm: int = Field(gt=0, le=10_000)

    def to_domain(self) -> Parcel:
        return Parcel(self.weight_g, self.length_mm, self.width_mm, self.height_mm)


class DestinationIn(RequestBody):
    """Where it goes."""

    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    postcode: str = Field("", max_length=16)

    def to_domain(self) -> Destination:
        return Destination(self.country, self.postcode)


class ShippingRequestIn(RequestBody):
    """What the order asks for."""

    level: Literal["standard", "express", "next_day"] = "standard"
    ship_by: date | None = None
    deliver_by: date | None = None

    def to_domain(self) -> ShippingRequest:
        return ShippingRequest(ServiceLevel.parse(self.level), self.ship_by, self.deliver_by)


class ChooseIn(RequestBody):
    """A parcel, its destination and the order's request; `at` (warehouse wall-clock) defaults to now."""

    parcel: ParcelIn
    destination: DestinationIn
    request: ShippingRequestIn = Field(default_factory=ShippingRequestIn)
    at: datetime | None = None


class CandidateOut(BaseModel):
    """One carrier service as evaluated; `reasons` says why it lost (empty for the chosen one)."""

    carrier: str
    service: str
    name: str
    level: str
    price: Decimal | None
    currency: str
    chargeable_weight_g: int
    ship_date: date
    arrival: date | None
    eligible: bool
    chosen: bool
    reasons: list[str]


class ChoiceOut(BaseModel):
    """The chosen candidate (null when none is eligible) and every candidate."""

    at: datetime
    chosen: CandidateOut | None
    candidates: list[CandidateOut]


def _candidate(c: Candidate, chosen: Candidate | None) -> CandidateOut:
    return CandidateOut(
        carrier=c.carrier,
        service=c.service,
        name=c.name,
        level=c.level.code,
        price=c.price,
        currency=c.currency,
        chargeable_weight_g=c.chargeable_g,
        ship_date=c.ship_date,
        arrival=c.arrival,
        eligible=c.eligible,
        chosen=c is chosen,
        reasons=list(c.reasons),
    )


def choice_out(choice: Choice, at: datetime) -> ChoiceOut:
    """The API shape of a choice."""
    chosen = _candidate(choice.chosen, choice.chosen) if choice.chosen else None
    return ChoiceOut(
        at=at, chosen=chosen, candidates=[_candidate(c, choice.chosen) for c in choice.candidates]
    )


class ZoneOut(BaseModel):
    """A destination zone."""

    code: str
    countries: list[str]
    postcodes: list[str]


class ServiceOut(BaseModel):
    """A service of a rate sheet: level, limits, the zones it serves."""

    code: str
    name: str
    level: str
    max_weight_g: int
    max_size_mm: list[int]
    zones: list[str]


class CarrierOut(BaseModel):
    """A carrier account (never its credentials). A live account without contract rates has no sheet."""

    code: str
    name: str
    kind: Literal["generic", "live"]
    plugin: str | None
    currency: str | None
    cutoff: str | None
    dim_divisor: int | None
    zones: list[ZoneOut]
    services: list[ServiceOut]


class CarriersOut(BaseModel):
    """Every account, the preference order (at the same price) and the warehouse's time zone."""

    carriers: list[CarrierOut]
    preference: list[str]
    timezone: str | None


def carrier_out(account: Account) -> CarrierOut:
    """The API shape of an account: its sheet, if any; credentials left out altogether."""
    sheet = account.sheet
    return CarrierOut(
        code=account.code,
        name=account.name,
        kind="generic" if account.kind == "generic" else "live",
        plugin=account.plugin or None,
        currency=sheet.currency if sheet else None,
        cutoff=sheet.cutoff.strftime("%H:%M") if sheet else None,
        dim_divisor=sheet.dim_divisor if sheet else None,
        zones=[
            ZoneOut(code=z.code, countries=list(z.countries), postcodes=list(z.postcode_prefixes))
            for z in (sheet.zones if sheet else ())
        ],
        services=[
            ServiceOut(
                code=s.code,
                name=s.name,
                level=s.level.code,
                max_weight_g=s.max_weight_g,
                max_size_mm=list(s.max_sides_mm),
                zones=list(s.prices),
            )
            for s in (sheet.services if sheet else ())
        ],
    )
