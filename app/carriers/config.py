"""Read carriers.toml: carrier accounts, their rate sheets, and live credentials from the environment.

`load_carriers(path)` raises `CarrierConfigError` naming the bad key
(``carriers.post.services[0].max_weight_kg``) or the missing environment variable. Credentials are held as
`Secret`s: their repr and str never show the value.
Nothing here imports karrio (a live plugin is checked by its installed distribution, not by importing it).
"""

from __future__ import annotations

import importlib.metadata
import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.carriers.file_models import CarriersFileIn, GenericIn, LiveIn, ServiceIn
from app.domain.shipping.sheets import Band, RateSheet, Service, ServiceLevel, Zone, ZonePrice


class CarrierConfigError(Exception):
    """carriers.toml is wrong; the message names the file and the key (or the environment variable)."""


class Secret:
    """A credential value that never shows itself in a repr, a str or a log line."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value, for the one place that hands it to the carrier's SDK."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True)
class Account:
    """One carrier account: `kind` generic or live; `sheet` None for a live account without contract rates."""

    code: str
    name: str
    kind: str
    sheet: RateSheet | None
    plugin: str = ""
    settings: Mapping[str, str | int | float | bool] = field(default_factory=dict)
    credentials: Mapping[str, Secret] = field(default_factory=dict, repr=False)
    credential_env: Mapping[str, str] = field(default_factory=dict)  # karrio setting -> variable name


@dataclass(frozen=True)
class CarriersConfig:
    """The whole file: accounts in file order, the preference order, the warehouse's time zone and origin."""

    accounts: tuple[Account, ...]
    preference: tuple[str, ...]
    timezone: zoneinfo.ZoneInfo
    origin_country: str
    origin_postcode: str

    @property
    def sheets(self) -> tuple[RateSheet, ...]:
        """Every account's rate sheet (what the service choice evaluates)."""
        return tuple(a.sheet for a in self.accounts if a.sheet is not None)

    def account(self, code: str) -> Account:
        """The account called `code`; KeyError names it."""
        for a in self.accounts:
            if a.code == code:
                return a
        raise KeyError(f"no carrier account {code!r} in carriers.toml")


def _key(loc: tuple[int | str, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if i == 2 and loc[0] == "carriers" and part in ("generic", "live"):
            continue  # the discriminated union's tag, not a key of the file
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        where = _key(e["loc"])
        if e["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown key '{where}'")
        elif "credentials" in where or "settings" in where or isinstance(e.get("input"), dict | list):
            lines.append(f"{source}: {where}: {e['msg']}")  # never echo what might hold a secret
        else:
            lines.append(f"{source}: {where}: {e['msg']} (got {e.get('input')!r})")
    return "; ".join(lines)


def load_carriers(path: Path, environ: Mapping[str, str] | None = None) -> CarriersConfig:
    """Read and check `path`; live credentials come from `environ` (default: the process environment)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CarrierConfigError(f"{path}: no such carriers file ([shipping] carriers_file)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CarrierConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse_carriers(data, str(path), os.environ if environ is None else environ)


def parse_carriers(data: dict[str, Any], source: str, environ: Mapping[str, str]) -> CarriersConfig:
    """`load_carriers` on already-parsed TOML (tests and other sources)."""
    try:
        file = CarriersFileIn.model_validate(data)
    except ValidationError as exc:
        raise CarrierConfigError(_describe(exc, source)) from None
    try:
        tz = zoneinfo.ZoneInfo(file.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CarrierConfigError(f"{source}: timezone: unknown time zone {file.timezone!r}") from None
    accounts = tuple(_account(code, acc, source, environ) for code, acc in file.carriers.items())
    sheets = [a.sheet for a in accounts if a.sheet is not None]
    currencies = sorted({s.currency for s in sheets})
    if len(currencies) > 1:
        raise CarrierConfigError(
            f"{source}: currency: every rate sheet must use one currency, got {currencies}"
        )
    known = {a.code for a in accounts} | {f"{s.carrier}/{v.code}" for s in sheets for v in s.services}
    for i, entry in enumerate(file.preference):
        if entry not in known:
            raise CarrierConfigError(f"{source}: preference[{i}]: {entry!r} is no carrier or carrier/service")
    return CarriersConfig(accounts, tuple(file.preference), tz, file.origin.country, file.origin.postcode)


def _account(code: str, acc: GenericIn | LiveIn, source: str, environ: Mapping[str, str]) -> Account:
    where = f"{source}: carriers.{code}"
    sheet = _sheet(code, acc, where) if acc.services else None
    if isinstance(acc, GenericIn):
        return Account(code, acc.name, "generic", sheet)
    distribution = f"karrio-{acc.plugin.replace('_', '-')}"
    try:
        importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise CarrierConfigError(
            f"{where}.plugin: karrio plugin {acc.plugin!r} is not installed (pip install {distribution})"
        ) from None
    credentials: dict[str, Secret] = {}
    for key, variable in acc.credentials.items():
        if key in acc.settings:
            raise CarrierConfigError(
                f"{where}.settings.{key}: also in credentials; a secret belongs there only"
            )
        value = environ.get(variable)
        if not value:
            raise CarrierConfigError(
                f"{where}.credentials.{key}: environment variable {variable} is not set (or empty)"
            )
        credentials[key] = Secret(value)
    return Account(
        code, acc.name, "live", sheet, acc.plugin, dict(acc.settings), credentials, dict(acc.credentials)
    )


def _sheet(code: str, acc: GenericIn | LiveIn, where: str) -> RateSheet:
    if not acc.currency:
        raise CarrierConfigError(f"{where}.currency: a rate sheet needs its currency (EUR, GBP, …)")
    zones = tuple(Zone(z.code, tuple(c.upper() for c in z.countries), tuple(z.postcodes)) for z in acc.zones)
    codes = [z.code for z in zones]
    services = []
    for i, svc in enumerate(acc.services):
        for zone_code in svc.prices:
            if zone_code not in codes:
                raise CarrierConfigError(f"{where}.services[{i}].prices.{zone_code}: no zone {zone_code!r}")
        services.append(_service(svc))
    if len({s.code for s in services}) < len(services):
        raise CarrierConfigError(f"{where}.services: two services share a code")
    hour, minute = (int(p) for p in acc.cutoff.split(":"))
    try:
        return RateSheet(code, acc.currency, time(hour, minute), acc.dim_divisor, zones, tuple(services))
    except ValueError as exc:
        raise CarrierConfigError(f"{where}.zones: {exc}") from None


def _service(svc: ServiceIn) -> Service:
    sides = sorted((round(cm * 10) for cm in svc.max_size_cm), reverse=True)
    prices = {
        zone: ZonePrice(
            p.transit_days,
            tuple(
                Band(round(kg * 1000), Decimal(str(price)).quantize(Decimal("0.01"))) for kg, price in p.bands
            ),
        )
        for zone, p in svc.prices.items()
    }
    level = ServiceLevel.parse(svc.level)
    return Service(
        svc.code, svc.name, level, round(svc.max_weight_kg * 1000), (sides[0], sides[1], sides[2]), prices
    )
