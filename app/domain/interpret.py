"""What a scan means on the floor: `interpret(text, …) -> Meaning`, pure and table-tested.

The order of questions: a command label; GS1 element strings (by the GS1 flag, a GS1 AIM identifier, the
``(01)…`` human-readable form, or a leading ``01`` + a valid GTIN-14); a bare GTIN/UPC/EAN (check digit
validated, compared as 14 digits, UPC-E expanded); internal labels (location, tote, badge, order, RMA);
finally an internal product code. Every refusal carries a reason an operator can read.
"""

from __future__ import annotations

import re

from app.domain.errors import InvalidBarcode
from app.domain.gs1 import ElementRow, describe_elements, parse_gs1
from app.domain.gtin import GTIN_LENGTHS, gtin_problem, upce_to_upca
from app.domain.scanning import (
    BadgeScan,
    CatalogueLookup,
    CommandScan,
    Invalid,
    LabelRules,
    LocationScan,
    Meaning,
    OrderLabelScan,
    ProductScan,
    RmaScan,
    ToteScan,
    Unknown,
)
from app.domain.symbology import is_gs1_aim, split_aim

_HRI_START = re.compile(r"\(\d{2,4}\)")
_LOCATION_CHECK = re.compile(r"(?P<code>.+)\*(?P<check>\d)")


def interpret(
    text: str,
    *,
    gs1: bool = False,
    aim: str | None = None,
    catalogue: CatalogueLookup,
    rules: LabelRules,
) -> Meaning:
    """Turn one scan's text into what it means here (see module docstring)."""
    if aim is None:
        aim, text = split_aim(text)
    text = text.strip(" \t\r\n")
    if not text:
        return Invalid(text, "the scan is empty")
    gs1 = gs1 or is_gs1_aim(aim)
    if rules.command_prefix and text.upper().startswith(rules.command_prefix.upper()):
        command = text[len(rules.command_prefix) :].strip().lower()
        return CommandScan(command) if command else Invalid(text, "command label without a command")
    if _is_gs1(text, gs1):
        return parse_gs1(text, catalogue=catalogue, gs_replacement=rules.gs_replacement)
    if text.isdigit() and len(text) in GTIN_LENGTHS:
        return _gtin(text, aim, catalogue)
    label = _internal_label(text, catalogue, rules)
    if label is not None:
        return label
    found = catalogue.product_by_barcode(text)
    if found is not None:
        product, units = found
        return ProductScan(product, units)
    if text.isdigit():
        return Unknown(
            text, f"{len(text)}-digit code is not a GTIN (8, 12, 13 or 14 digits) nor a known code"
        )
    return Unknown(text, f"{text} is not a known product code or label")


def describe_scan(
    text: str,
    *,
    gs1: bool = False,
    aim: str | None = None,
    rules: LabelRules,
) -> list[ElementRow]:
    """The elements a scan carries, for an installer to read beside its meaning (`aisle scan`).

    GS1 data (GS1-128, GS1 DataBar, GS1 DataMatrix/QR, the HRI form) → one row per AI, as `interpret` would
    read it; a GTIN-14 on its own (an ITF-14 case code) → its GTIN row; anything else → no rows.
    """
    if aim is None:
        aim, text = split_aim(text)
    text = text.strip(" \t\r\n")
    gs1 = gs1 or is_gs1_aim(aim)
    if not text or (rules.command_prefix and text.upper().startswith(rules.command_prefix.upper())):
        return []
    if _is_gs1(text, gs1):
        return describe_elements(text, rules.gs_replacement)
    if len(text) == 14 and text.isdigit() and gtin_problem(text) is None:
        return [ElementRow("01", "GTIN", text)]
    return []


def location_check_digit(code: str) -> int:
    """The mod-10 check digit of a location label: GS1 weights 3,1 from the right over its letters and digits.

    Letters count as 10 (A) to 35 (Z); separators are skipped. Label printers use the same function.
    """
    values = [int(c, 36) for c in code.upper() if c.isalnum()]
    total = sum(v * (3 if i % 2 == 0 else 1) for i, v in enumerate(reversed(values)))
    return (10 - total % 10) % 10


def _is_gs1(text: str, gs1: bool) -> bool:
    """GS1 element strings: by the GS1 flag (or AIM), the ``(01)…`` form, or 01 + a valid GTIN-14 and more."""
    return gs1 or bool(_HRI_START.match(text)) or _looks_like_gs1_gtin(text)


def _looks_like_gs1_gtin(text: str) -> bool:
    # 01 + a valid GTIN-14 and more: GS1 data from a scanner that sends no AIM identifier.
    return (
        len(text) >= 16
        and text.startswith("01")
        and text[2:16].isdigit()
        and gtin_problem(text[2:16]) is None
    )


def _gtin(code: str, aim: str | None, catalogue: CatalogueLookup) -> Meaning:
    candidates: list[str] = []
    problem = gtin_problem(code)
    if problem is None:
        candidates.append(code)
    if len(code) == 8 and aim != "]E4":  # 8 digits: EAN-8, or a UPC-E to expand
        try:
            candidates.append(upce_to_upca(code))
        except InvalidBarcode as exc:
            if problem is not None or aim == "]E0":
                return Invalid(code, _upce_reason(exc, problem))
    if not candidates:
        return Invalid(code, problem or "not a GTIN")
    for candidate in candidates:
        found = catalogue.product_by_barcode(candidate.zfill(14))
        if found is not None:
            product, units = found
            return ProductScan(product, units, gtin=candidate.zfill(14))
    kind = "UPC-E" if candidates[0] != code else GTIN_LENGTHS[len(code)]
    return Unknown(code, f"{kind} {code} is not in the catalogue")


def _upce_reason(exc: InvalidBarcode, ean8_problem: str | None) -> str:
    reason = exc.message.split(": ", 1)[-1]
    return f"{ean8_problem}; as UPC-E: {reason}" if ean8_problem else reason


def _internal_label(text: str, catalogue: CatalogueLookup, rules: LabelRules) -> Meaning | None:
    location = _location(text, catalogue, rules)
    if location is not None:
        return location
    kinds: list[tuple[str, type[ToteScan] | type[BadgeScan] | type[RmaScan]]] = [
        (rules.tote, ToteScan),
        (rules.badge, BadgeScan),
        (rules.rma, RmaScan),
    ]
    for pattern, kind in kinds:
        if pattern and re.fullmatch(pattern, text):
            return kind(text)
    if rules.order and re.fullmatch(rules.order, text):
        ref = text.split("-", 1)[1] if "-" in text else text
        return OrderLabelScan(text, ref)
    return None


def _location(text: str, catalogue: CatalogueLookup, rules: LabelRules) -> Meaning | None:
    if not rules.location:
        return None
    checked = _LOCATION_CHECK.fullmatch(text)
    code = checked.group("code") if checked else text
    if not re.fullmatch(rules.location, code):
        return None
    if checked:
        expected = location_check_digit(code)
        if int(checked.group("check")) != expected:
            got = checked.group("check")
            return Invalid(
                text, f"location check digit is wrong (expected {expected}, got {got}): rescan the label"
            )
    elif rules.location_check_digit:
        return Invalid(
            text, f"location {code} needs its check digit: scan the location label, do not type it"
        )
    if not catalogue.location_exists(code):
        return Unknown(text, f"{code} is not a known location")
    return LocationScan(code)
