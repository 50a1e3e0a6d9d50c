"""Choosing carrier and service for a parcel: every candidate evaluated, the chosen one, why each other lost.

The hard rules, each giving a reason when broken (a candidate may break several):
  - the service's level is at least the requested one (express may carry a standard order, never the reverse);
  - the carrier has a zone for the destination and the service a price for that zone;
  - the parcel's actual weight is within the service's max weight, its sides (longest first) within its max
    size, and its chargeable weight (max of actual and L×W×H / the carrier's divisor) within the last band;
  - the parcel leaves (today before the carrier's cut-off, else the next working day) by the promised ship
    date, and arrives (that day + the zone's transit working days, see `calendar`) by the promised
    delivery date.
Among the candidates that break none: the cheapest wins; at the same price the earlier entry of `preference`
("carrier" or "carrier/service"); then the order of the sheets and their services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.domain.shipping.calendar import add_working_days, collection_day
from app.domain.shipping.sheets import Destination, Parcel, RateSheet, ServiceLevel


@dataclass(frozen=True, slots=True)
class ShippingRequest:
    """What the order asks for: a service level and, optionally, promised ship and delivery dates."""

    level: ServiceLevel = ServiceLevel.STANDARD
    ship_by: date | None = None
    deliver_by: date | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One carrier service as evaluated for the parcel; `reasons` says why it lost (empty for the chosen)."""

    carrier: str
    service: str
    name: str
    level: ServiceLevel
    price: Decimal | None  # None when the sheet has no price for this destination and weight
    currency: str
    chargeable_g: int
    ship_date: date
    arrival: date | None
    eligible: bool  # breaks no hard rule
    reasons: tuple[str, ...]

    @property
    def key(self) -> str:
        """carrier/service, as preference entries and reasons name it."""
        return f"{self.carrier}/{self.service}"


@dataclass(frozen=True, slots=True)
class Choice:
    """The outcome: the chosen candidate (None when none is eligible) and every candidate, in sheet order."""

    chosen: Candidate | None
    candidates: tuple[Candidate, ...]


def kg(grams: int) -> str:
    """Grams as kilograms for people: 30000 -> '30 kg', 31500 -> '31.5 kg'."""
    return f"{(Decimal(grams) / 1000).normalize():f} kg"


def _evaluate(
    sheet: RateSheet, parcel: Parcel, destination: Destination, request: ShippingRequest, now: datetime
) -> list[Candidate]:
    zone = sheet.zone_for(destination)
    chargeable = parcel.chargeable_g(sheet.dim_divisor)
    ship_date = collection_day(now, sheet.cutoff)
    sides = parcel.sides_mm
    out: list[Candidate] = []
    for service in sheet.services:
        reasons: list[str] = []
        if service.level < request.level:
            reasons.append(f"{service.level.code} service, {request.level.code} requested")
        price: Decimal | None = None
        arrival: date | None = None
        zone_price = service.prices.get(zone.code) if zone is not None else None
        if zone is None:
            country, postcode = destination.key
            reasons.append(f"does not deliver to {country} {postcode}".rstrip())
        elif zone_price is None:
            reasons.append(f"does not serve zone {zone.code}")
        if parcel.weight_g > service.max_weight_g:
            reasons.append(f"over max weight {kg(service.max_weight_g)}")
        if any(side > limit for side, limit in zip(sides, service.max_sides_mm, strict=True)):
            reasons.append("over max size {}×{}×{} mm".format(*service.max_sides_mm))
        if zone_price is not None:
            band = zone_price.band_for(chargeable)
            if band is None:
                reasons.append(f"no weight band for {kg(chargeable)} chargeable")
            else:
                price = band.price
            arrival = add_working_days(ship_date, zone_price.transit_days)
            if request.deliver_by is not None and arrival > request.deliver_by:
                reasons.append(f"arrives {arrival}, promised {request.deliver_by}")
        if request.ship_by is not None and ship_date > request.ship_by:
            reasons.append(f"leaves {ship_date}, promised to ship by {request.ship_by}")
        out.append(
            Candidate(
                sheet.carrier,
                service.code,
                service.name,
                service.level,
                price,
                sheet.currency,
                chargeable,
                ship_date,
                arrival,
                not reasons,
                tuple(reasons),
            )
        )
    return out


def _rank(candidate: Candidate, preference: Sequence[str]) -> int:
    for i, entry in enumerate(preference):
        if entry in (candidate.key, candidate.carrier):
            return i
    return len(preference)


def choose(
    parcel: Parcel,
    destination: Destination,
    request: ShippingRequest,
    now: datetime,
    sheets: Sequence[RateSheet],
    preference: Sequence[str] = (),
) -> Choice:
    """Evaluate every service of every sheet for the parcel (see the module docstring for the rules).

    `now` is the warehouse's wall-clock time (the cut-offs are in it). The sheets must share one currency:
    prices in two currencies cannot be compared (ValueError).
    """
    if len({s.currency for s in sheets}) > 1:
        raise ValueError("rate sheets in more than one currency cannot be compared")
    evaluated = [c for sheet in sheets for c in _evaluate(sheet, parcel, destination, request, now)]
    eligible = [c for c in evaluated if c.eligible]
    if not eligible:
        return Choice(None, tuple(evaluated))
    order = {id(c): i for i, c in enumerate(evaluated)}
    best = min(eligible, key=lambda c: (_price(c), _rank(c, preference), order[id(c)]))
    out: list[Candidate] = []
    for c in evaluated:
        if c is best or not c.eligible:
            out.append(c)
            continue
        if _price(c) > _price(best):
            reason = f"dearer than {best.key} by {_price(c) - _price(best)}"
        else:
            reason = f"not preferred ({best.key} costs the same)"
        out.append(_lost(c, reason))
    return Choice(best, tuple(out))


def _price(c: Candidate) -> Decimal:
    assert c.price is not None, "an eligible candidate is priced"
    return c.price


def _lost(c: Candidate, reason: str) -> Candidate:
    return Candidate(
        c.carrier, c.service, c.name, c.level, c.price, c.currency, c.chargeable_g, c.ship_date, c.arrival,
        True, (reason,),
    )  # fmt: skip
