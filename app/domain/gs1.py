"""GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, DataBar) → a product, an SSCC or a precise refusal.

Parsing is biip's (a maintained, pure GS1 library); this module walks the element strings one by one so that
a refusal can name the AI at fault, and turns the result into a `Meaning` with the station's catalogue.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

from app.domain.gtin import check_digit, gtin_problem
from app.domain.scanning import CatalogueLookup, Invalid, Meaning, ProductScan, SsccScan, Unknown

GS = "\x1d"
_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})  # YYMMDD
_HRI_ELEMENT = re.compile(r"\((\d{2,4})\)([^(]*)")


class GS1Problem(Exception):
    """An element string that cannot be read; the message names the AI and what is wrong."""


@dataclass(frozen=True, slots=True)
class ElementRow:
    """One element of a scan as an installer reads it: AI, GS1 data title, value (dates as YYYY-MM-DD)."""

    ai: str
    title: str
    value: str


def parse_gs1(text: str, *, catalogue: CatalogueLookup, gs_replacement: str = "") -> Meaning:
    """Interpret a GS1 element string (raw with GS separators, or the ``(01)…(10)…`` HRI form)."""
    elements: list[GS1ElementString] = []
    try:
        _elements(text, gs_replacement, elements)
    except GS1Problem as problem:
        return Invalid(text, str(problem))
    if not elements:
        return Invalid(text, "GS1 data is empty")
    return _meaning(text, {e.ai.ai: e for e in elements}, catalogue)


def describe_elements(text: str, gs_replacement: str = "") -> list[ElementRow]:
    """Every element of a GS1 element string, in order, up to the first one that cannot be read.

    ``0109506000134352 10ABC123<GS>17271231`` → (01, GTIN, 09506000134352), (10, BATCH/LOT, ABC123),
    (17, USE BY or EXPIRY, 2027-12-31). What `aisle scan` shows beside the meaning, known product or not.
    """
    elements: list[GS1ElementString] = []
    with contextlib.suppress(GS1Problem):  # the rows read so far; the meaning says what is wrong next
        _elements(text, gs_replacement, elements)
    return [ElementRow(e.ai.ai, e.ai.data_title, _shown(e)) for e in elements]


def _shown(element: GS1ElementString) -> str:
    if element.date is not None:
        return element.date.isoformat()
    if element.decimal is not None:
        return str(element.decimal)
    return element.value


def _elements(text: str, gs_replacement: str, into: list[GS1ElementString]) -> None:
    """Append the elements of `text` to `into` one by one; raises GS1Problem at the first bad one."""
    separators = (GS, gs_replacement) if gs_replacement and gs_replacement != GS else (GS,)
    config = ParseConfig(separator_chars=separators)
    body = text.strip("".join(separators) + " ")
    if body.startswith("("):
        _hri_elements(body, config, into)
    else:
        _raw_elements(body, config, into)


def _raw_elements(body: str, config: ParseConfig, elements: list[GS1ElementString]) -> None:
    rest = body
    while rest:
        ai = _known_ai(rest)
        try:
            element = GS1ElementString.extract(rest, config=config)
        except ParseError as exc:
            raise GS1Problem(_element_problem(ai, rest[len(ai.ai) :], exc)) from None
        elements.append(_checked(element))
        rest = rest[len(element) :]
        while rest[:1] in config.separator_chars and rest:
            rest = rest[1:]


def _hri_elements(body: str, config: ParseConfig, elements: list[GS1ElementString]) -> None:
    hri = "".join(body.split())
    matches = list(_HRI_ELEMENT.finditer(hri))
    if not matches or "".join(m.group(0) for m in matches) != hri:
        raise GS1Problem(f"cannot read {body!r} as (AI)data(AI)data")
    for match in matches:
        ai_code, data = match.groups()
        ai = _known_ai(ai_code, exact=True)
        try:
            element = GS1ElementString.parse(ai_code + data, config=config)
        except ParseError as exc:
            raise GS1Problem(_element_problem(ai, data, exc)) from None
        elements.append(_checked(element))


def _known_ai(rest: str, *, exact: bool = False) -> GS1ApplicationIdentifier:
    try:
        ai = GS1ApplicationIdentifier.extract(rest)
    except ParseError:
        ai = None
    if ai is None or (exact and ai.ai != rest):
        shown = rest if exact else rest[:2]
        raise GS1Problem(f"unknown AI {shown}")
    return ai


def _element_problem(ai: GS1ApplicationIdentifier, data: str, exc: ParseError) -> str:
    data = data.split(GS, 1)[0]
    if "date" in str(exc) or ai.ai in _DATE_AIS:
        return f"AI {ai.ai} ({ai.data_title}): {data[:6]!r} is not a valid date (YYMMDD)"
    return f"AI {ai.ai} ({ai.data_title}): {data!r} does not fit the format {ai.format}"


def _checked(element: GS1ElementString) -> GS1ElementString:
    ai = element.ai.ai
    if element.gtin_error:
        raise GS1Problem(f"AI {ai}: {gtin_problem(element.value) or element.gtin_error}")
    if element.sscc_error:
        value = element.value
        expected = check_digit(value[:-1]) if value.isdigit() else "?"
        raise GS1Problem(f"AI 00: SSCC check digit is wrong (expected {expected}, got {value[-1:]})")
    return element


def _meaning(text: str, by_ai: dict[str, GS1ElementString], catalogue: CatalogueLookup) -> Meaning:
    if "00" in by_ai and "01" not in by_ai:
        return SsccScan(by_ai["00"].value)
    item = by_ai.get("01") or by_ai.get("02")
    if item is None:
        return Unknown(text, f"GS1 data without a GTIN or SSCC (AIs {', '.join(by_ai)})")
    gtin = item.value
    found = catalogue.product_by_barcode(gtin)
    if found is None:
        return Unknown(text, f"GTIN {gtin} is not in the catalogue")
    product, units = found
    count = by_ai.get("37") or by_ai.get("30")
    return ProductScan(
        product,
        units * int(count.value) if count else units,
        gtin=gtin,
        lot=_value(by_ai, "10"),
        expiry=_date(by_ai, "17") or _date(by_ai, "15"),
        serial=_value(by_ai, "21"),
        weight_g=_weight_g(by_ai),
    )


def _value(by_ai: dict[str, GS1ElementString], ai: str) -> str | None:
    element = by_ai.get(ai)
    return element.value if element else None


def _date(by_ai: dict[str, GS1ElementString], ai: str) -> date | None:
    element = by_ai.get(ai)
    return element.date if element else None


def _weight_g(by_ai: dict[str, GS1ElementString]) -> int | None:
    kilograms = next((e.decimal for ai, e in by_ai.items() if ai.startswith("310") and e.decimal), None)
    return int((kilograms * Decimal(1000)).to_integral_value()) if kilograms is not None else None
