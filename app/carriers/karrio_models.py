"""Aisle's values as karrio's models (karrio loaded through `karrio_loader`, never at import)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from app.carriers.port import Address, CarrierError, Rate
from app.domain.shipping.sheets import Parcel


def models() -> Any:
    """karrio.core.models (karrio loaded on first use)."""
    from app.carriers.karrio_loader import load_karrio

    load_karrio()
    import karrio.core.models

    return karrio.core.models


def address(a: Address) -> Any:
    """A karrio Address."""
    lines = (*a.lines, "", "")
    return models().Address(
        person_name=a.name,
        company_name=a.company or None,
        address_line1=lines[0],
        address_line2=lines[1] or None,
        city=a.city,
        postal_code=a.postcode,
        country_code=a.country,
        phone_number=a.phone or None,
        email=a.email or None,
    )


def kilograms(grams: int) -> float:
    """Grams as karrio's kilograms. karrio keeps weights to 0.01 kg (it rounds every conversion to two
    decimals), so the weight is rounded up to the next 10 g first: never under-declared, and since sheet
    bands are whole multiples of 10 g, "over a band's limit" stays exactly what it is in grams."""
    return math.ceil(grams / 10) / 100


def parcel(p: Parcel, weight_g: int | None = None) -> Any:
    """A karrio Parcel in kg and cm (the units karrio computes in without loss): `weight_g` when given, the
    actual weight else; sides longest first."""
    length, width, height = (side / 10 for side in p.sides_mm)
    return models().Parcel(
        weight=kilograms(weight_g if weight_g is not None else p.weight_g),
        weight_unit="KG",
        length=length,
        width=width,
        height=height,
        dimension_unit="CM",
    )


def rates(carrier: str, details: list[Any]) -> list[Rate]:
    """karrio RateDetails as the port's Rates."""
    return [
        Rate(
            carrier,
            str(r.service),
            Decimal(str(r.total_charge)).quantize(Decimal("0.01")),
            str(r.currency),
            int(r.transit_days) if r.transit_days is not None else None,
        )
        for r in details
    ]


def raise_for(
    carrier: str, operation: str, messages: list[Any], *, fatal_codes: tuple[str, ...] = ()
) -> None:
    """Raise CarrierError for karrio's error messages (all of them, or only `fatal_codes` prefixes)."""
    errors = [m for m in messages if not fatal_codes or str(m.code or "").startswith(fatal_codes)]
    if errors:
        from app.carriers.karrio_loader import redact

        text = "; ".join(redact(f"{m.code}: {m.message}") for m in errors)
        raise CarrierError(f"{carrier}: {operation} failed: {text}")
