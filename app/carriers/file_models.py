"""carriers.toml as pydantic models: the shape and value checks, each error located by its key.

Human units in the file (kg, cm, prices with two decimals); `config` turns them into the domain's grams,
millimetres and Decimals and checks what spans keys (zone names, one currency, preference entries).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.shipping.sheets import ServiceLevel

ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ZoneIn(_Model):
    """A destination zone: countries, optionally only these postcode prefixes."""

    code: str = Field(min_length=1)
    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(min_length=1)
    postcodes: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)


class PriceIn(_Model):
    """A service's price list for one zone: [[up to kg, price], …] ascending, and transit working days."""

    transit_days: int = Field(ge=0, le=60)
    bands: list[tuple[Annotated[float, Field(gt=0)], Annotated[float, Field(ge=0)]]] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def _ascending(cls, bands: list[tuple[float, float]]) -> list[tuple[float, float]]:
        limits = [b[0] for b in bands]
        if limits != sorted(set(limits)):
            raise ValueError("each band's weight must be heavier than the one before")
        if any(abs(kg * 100 - round(kg * 100)) > 1e-6 for kg in limits):
            raise ValueError("band weights are kg with at most two decimals (10 g)")
        return bands


class ServiceIn(_Model):
    """A service: level, limits and prices per zone code."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    level: str
    max_weight_kg: float = Field(gt=0)
    max_size_cm: tuple[
        Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]
    ]
    prices: dict[str, PriceIn] = Field(min_length=1)

    @field_validator("level")
    @classmethod
    def _level(cls, level: str) -> str:
        return ServiceLevel.parse(level).code


class _Account(_Model):
    name: str = Field(min_length=1)
    currency: str = Field("", pattern=r"^([A-Z]{3})?$")
    cutoff: str = Field("16:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    dim_divisor: int = Field(5000, gt=0)
    zones: list[ZoneIn] = Field(default_factory=list)
    services: list[ServiceIn] = Field(default_factory=list)


class GenericIn(_Account):
    """A local carrier: its rate sheet is the whole account (no network, no credentials)."""

    kind: Literal["generic"]
    zones: list[ZoneIn] = Field(min_length=1)
    services: list[ServiceIn] = Field(min_length=1)


class LiveIn(_Account):
    """A carrier reached through a karrio plugin. `credentials` maps karrio setting -> environment variable;
    `settings` holds the plugin's other (non-secret) settings. A rate sheet (contract rates) is optional:
    with one, the offline choice can pick this carrier."""

    kind: Literal["live"]
    plugin: str = Field(pattern=r"^[a-z0-9_]+$")
    credentials: dict[str, str] = Field(default_factory=dict)
    settings: dict[str, str | int | float | bool] = Field(default_factory=dict)

    @field_validator("credentials")
    @classmethod
    def _env_names(cls, credentials: dict[str, str]) -> dict[str, str]:
        for key, name in credentials.items():
            if not ENV_NAME.fullmatch(name):
                # never echo the value: it may be the secret pasted in by mistake
                raise ValueError(
                    f"credentials.{key} must name an environment variable (A-Z, 0-9, _), not hold the secret"
                )
        return credentials


class OriginIn(_Model):
    """Where parcels leave from (what a carrier rates from)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    postcode: str = ""


class CarriersFileIn(_Model):
    """The whole file."""

    timezone: str = "UTC"
    preference: list[str] = Field(default_factory=list)
    origin: OriginIn
    carriers: dict[str, Annotated[GenericIn | LiveIn, Field(discriminator="kind")]] = Field(min_length=1)
