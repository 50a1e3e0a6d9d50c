"""Build a number scheme from its name and parameters (as configured and stored with a number range)."""

from __future__ import annotations

from collections.abc import Mapping

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
