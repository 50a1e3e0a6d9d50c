"""Build a number scheme from its name and parameters (as configured and stored with a number range)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.shipping.identifiers import NumberScheme, SsccScheme
from app.domain.shipping.tracking import Mod10Scheme, S10Scheme, UpsScheme

#: scheme name → the parameters it takes, in the order a range spec lists them
SCHEME_PARAMS: dict[str, tuple[str, ...]] = {
    "sscc": ("company_prefix", "extension_digit"),
    "ups": ("shipper", "service"),
    "s10": ("service_indicator", "country"),
    "mod10": ("prefix", "digits"),
}


def make_scheme(name: str, params: Mapping[str, str]) -> NumberScheme:
    """The scheme `name` with `params` (all strings, as stored); ValueError naming what is wrong."""
    if name not in SCHEME_PARAMS:
        raise ValueError(f"unknown number scheme {name!r}; known: {', '.join(SCHEME_PARAMS)}")
    unknown = set(params) - set(SCHEME_PARAMS[name])
    if unknown:
        raise ValueError(
            f"scheme {name} takes {', '.join(SCHEME_PARAMS[name])}, not {', '.join(sorted(unknown))}"
        )
    p = dict(params)
    if name == "sscc":
        return SsccScheme(p["company_prefix"], int(p.get("extension_digit", "0")))
    if name == "ups":
        return UpsScheme(p["shipper"], p.get("service", "01"))
    if name == "s10":
        return S10Scheme(p.get("service_indicator", "RA"), p.get("country", "GB"))
    return Mod10Scheme(int(p.get("digits", "12")), p.get("prefix", ""))


@dataclass(frozen=True)
class RangeSpec:
    """One configured number range: its kind (the name blocks and the API use), scheme, parameters and the
    serials it may hand out, `first` … `last` inclusive."""

    kind: str
    scheme: str
    params: dict[str, str]
    first: int
    last: int

    def build(self) -> NumberScheme:
        """The scheme this range's numbers are printed with."""
        return make_scheme(self.scheme, self.params)


_CARRIER = re.compile(r"[a-z0-9_]{1,40}")


def _bounds(text: str, capacity: int, what: str) -> tuple[int, int]:
    if not text:
        return 0, capacity - 1
    m = re.fullmatch(r"(\d+)-(\d+)", text)
    if m is None:
        raise ValueError(f"{what}: a serial range is FIRST-LAST, got {text!r}")
    first, last = int(m[1]), int(m[2])
    if not 0 <= first <= last < capacity:
        raise ValueError(f"{what}: {text} must lie within 0-{capacity - 1}, first <= last")
    return first, last


def sscc_range(company_prefix: str, extension_digit: int, serials: str = "") -> RangeSpec:
    """The SSCC range of a company prefix (kind 'sscc-PREFIX'); `serials` 'FIRST-LAST' or '' for all."""
    params = {"company_prefix": company_prefix, "extension_digit": str(extension_digit)}
    scheme = make_scheme("sscc", params)
    first, last = _bounds(serials, scheme.capacity, "SSCC serial range")
    return RangeSpec(f"sscc-{company_prefix}", "sscc", params, first, last)


def tracking_range(spec: str) -> RangeSpec:
    """A tracking range from 'CARRIER:SCHEME:P1:P2[:FIRST-LAST]' (kind 'CARRIER-SCHEME'), e.g.
    'post:s10:RA:GB', 'express:ups:999AA1:01:1-9999999', 'courier:mod10:42:12' (P1, P2 per SCHEME_PARAMS)."""
    parts = spec.split(":")
    if len(parts) not in (4, 5) or not _CARRIER.fullmatch(parts[0]):
        raise ValueError(
            f"a tracking range is CARRIER:SCHEME:P1:P2[:FIRST-LAST] (carrier a-z0-9_), got {spec!r}"
        )
    carrier, name, p1, p2 = parts[:4]
    if name not in SCHEME_PARAMS or name == "sscc":
        raise ValueError(f"{spec!r}: tracking schemes are ups, s10 and mod10, not {name!r}")
    params = dict(zip(SCHEME_PARAMS[name], (p1, p2), strict=True))
    scheme = make_scheme(name, params)
    first, last = _bounds(parts[4] if len(parts) == 5 else "", scheme.capacity, spec)
    return RangeSpec(f"{carrier}-{name}", name, params, first, last)
