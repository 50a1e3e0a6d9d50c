"""The GS1 rules the label's barcodes follow (GS1 General Specifications): the SSCC check digit and the
ship-to postcode as AI 420 (same country) or AI 421 (ISO 3166 numeric country + postcode).

The SSCC itself is issued elsewhere (issue 13's number blocks); the check digit here only refuses a label
whose SSCC was mistyped or truncated.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from app.labels.errors import LabelDataError

__all__ = ["country_numeric", "routing_element", "sscc_check_digit"]

#: AI 420 takes up to 20 characters of the postcode, AI 421 up to 9 after the country code
_MAX_420 = 20
_MAX_421 = 9


def sscc_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of the first 17 digits of an SSCC (weights 3, 1, 3, … from the right)."""
    if not body.isdigit():
        raise ValueError(f"{body!r} is not digits")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


@cache
def _numeric_codes() -> dict[str, str]:
    text = files("app.labels").joinpath("iso3166.csv").read_text(encoding="utf-8")
    rows = (line.split(",") for line in text.splitlines() if line and not line.startswith("#"))
    return {alpha.strip(): numeric.strip() for alpha, numeric in rows}


def country_numeric(alpha2: str) -> str:
    """The ISO 3166-1 numeric code (three digits) of an alpha-2 country code: ``DE`` -> ``276``."""
    try:
        return _numeric_codes()[alpha2.upper()]
    except KeyError:
        raise LabelDataError(f"country {alpha2!r} is not an ISO 3166-1 alpha-2 code") from None


def _postcode(postcode: str) -> str:
    # routing barcodes carry the postcode as sorting machines read it: capitals, no spaces
    code = postcode.replace(" ", "").upper()
    if not code or not all(c.isascii() and (c.isalnum() or c == "-") for c in code):
        raise LabelDataError(
            f"postcode {postcode!r} cannot go in a GS1 routing barcode (letters, digits, '-')"
        )
    return code


def routing_element(postcode: str, country: str, origin: str) -> str:
    """The routing element string: ``420`` + postcode inside `origin`, else ``421`` + country + postcode."""
    code = _postcode(postcode)
    if country.upper() == origin.upper():
        if len(code) > _MAX_420:
            raise LabelDataError(f"postcode {postcode!r} is longer than AI 420 allows ({_MAX_420})")
        return "420" + code
    if len(code) > _MAX_421:
        raise LabelDataError(f"postcode {postcode!r} is longer than AI 421 allows ({_MAX_421})")
    return "421" + country_numeric(country) + code
