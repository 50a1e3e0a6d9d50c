"""Interpretation of GS1 element strings: AIs 00/01/02/10/15/17/21/30/37/310n, HRI, edge cases."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.interpret import interpret
from app.domain.scanning import Invalid, LabelRules, Meaning, ProductScan, SsccScan, Unknown
from tests.unit.domain.test_interpret import MUG, SODA, FakeCatalogue

GS = "\x1d"
GTIN = "04006381333931"


def meaning(
    text: str, *, gs1: bool = True, aim: str | None = None, rules: LabelRules | None = None
) -> Meaning:
    return interpret(text, gs1=gs1, aim=aim, catalogue=FakeCatalogue(), rules=rules or LabelRules())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"01{GTIN}", ProductScan(MUG, 1, gtin=GTIN)),
        (
            f"01{GTIN}10LOT7{GS}17251231",
            ProductScan(MUG, 1, gtin=GTIN, lot="LOT7", expiry=date(2025, 12, 31)),
        ),
        (f"01{GTIN}17250200", ProductScan(MUG, 1, gtin=GTIN, expiry=date(2025, 2, 28))),  # day 00: month end
        (f"01{GTIN}15240229", ProductScan(MUG, 1, gtin=GTIN, expiry=date(2024, 2, 29))),
        (f"01{GTIN}21SN-001{GS}10L1", ProductScan(MUG, 1, gtin=GTIN, serial="SN-001", lot="L1")),
        (f"01{GTIN}10L1{GS}21SN", ProductScan(MUG, 1, gtin=GTIN, lot="L1", serial="SN")),
        (f"01{GTIN}3103001250", ProductScan(MUG, 1, gtin=GTIN, weight_g=1250)),
        (f"02{GTIN}3712", ProductScan(MUG, 12, gtin=GTIN)),
        ("0114006381333938306", ProductScan(MUG, 36, gtin="14006381333938")),  # case of 6 x count 6
        (f"{GS}01{GTIN}10LOT7{GS}", ProductScan(MUG, 1, gtin=GTIN, lot="LOT7")),  # FNC1 sent as leading GS
        ("00376104250021234569", SsccScan("376104250021234569")),
        (f"00376104250021234569{GS}02{GTIN}3712", SsccScan("376104250021234569")),
    ],
)
def test_gs1_element_strings_become_products_or_logistic_units(text: str, expected: Meaning) -> None:
    assert meaning(text) == expected


def test_variable_field_without_gs_swallows_what_follows() -> None:
    # No GS after the lot: by the GS1 rules everything up to the end is the lot, not a serial.
    result = meaning(f"01{GTIN}10LOT721SN")
    assert isinstance(result, ProductScan) and result.lot == "LOT721SN" and result.serial is None


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        (f"(01){GTIN}(10)LOT7", {"gs1": False}),
        (f"(01) {GTIN} (10) LOT7", {"gs1": False}),
        (f"01{GTIN}10LOT7", {"gs1": False, "aim": "]C1"}),
        (f"01{GTIN}10LOT7", {"gs1": False, "aim": "]d2"}),
        (f"]Q301{GTIN}10LOT7", {"gs1": False}),
        (f"01{GTIN}10LOT7", {"gs1": False}),  # 01 + valid GTIN-14 is GS1 even without a flag
    ],
)
def test_gs1_is_recognised_by_flag_aim_hri_or_leading_gtin(text: str, flags: dict[str, object]) -> None:
    assert meaning(text, **flags) == ProductScan(MUG, 1, gtin=GTIN, lot="LOT7")  # type: ignore[arg-type]


def test_wedge_gs_replacement_separates_fields() -> None:
    result = meaning(f"01{GTIN}10LOT7~21SN", rules=LabelRules(gs_replacement="~"))
    assert isinstance(result, ProductScan) and (result.lot, result.serial) == ("LOT7", "SN")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0104006381333932", "AI 01: GTIN-14 check digit is wrong (expected 1, got 2)"),
        ("(01)04006381333932", "AI 01: GTIN-14 check digit is wrong (expected 1, got 2)"),
        ("00376104250021234568", "AI 00: SSCC check digit is wrong (expected 9, got 8)"),
        (f"01{GTIN}89ABC", "unknown AI 89"),
        (f"(01){GTIN}(89)ABC", "unknown AI 89"),
        (
            f"01{GTIN}17251301",
            "AI 17 (USE BY or EXPIRY): '251301' is not a valid date (YYMMDD)",
        ),
        (
            f"01{GTIN}17250000",
            "AI 17 (USE BY or EXPIRY): '250000' is not a valid date (YYMMDD)",
        ),
        ("010400638", "AI 01 (GTIN): '0400638' does not fit the format N2+N14"),
        ("(01)", "AI 01 (GTIN): '' does not fit the format N2+N14"),
        ("(01", "cannot read '(01' as (AI)data(AI)data"),
    ],
)
def test_broken_gs1_data_is_invalid_naming_the_ai(text: str, reason: str) -> None:
    assert meaning(text) == Invalid(text, reason)


def test_gtin_not_in_catalogue_is_unknown() -> None:
    assert meaning("0105012345678900") == Unknown(
        "0105012345678900", "GTIN 05012345678900 is not in the catalogue"
    )


def test_gs1_without_gtin_or_sscc_is_unknown_listing_the_ais() -> None:
    assert meaning(f"10LOT{GS}99internal") == Unknown(
        f"10LOT{GS}99internal", "GS1 data without a GTIN or SSCC (AIs 10, 99)"
    )


def test_upca_gtin_inside_gs1_matches_the_upca_barcode() -> None:
    assert meaning("0100036000291452") == ProductScan(SODA, 1, gtin="00036000291452")
