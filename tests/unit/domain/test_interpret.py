"""Interpretation tables: products by GTIN/UPC/EAN, internal codes, cases, labels, commands."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.domain.catalogue import Barcode, Product
from app.domain.interpret import interpret, location_check_digit
from app.domain.scanning import (
    BadgeScan,
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

MUG = Product(
    "MUG-RED",
    "Red Mug 350ml",
    (Barcode("4006381333931"), Barcode("MUG-RED-INT"), Barcode("14006381333938", units=6)),
)
SODA = Product("SODA", "Soda can", (Barcode("036000291452"), Barcode("96385074")))
GUM = Product("GUM", "Gum", (Barcode("042100005264"),))  # UPC-A whose UPC-E form is 04252614


@dataclass
class FakeCatalogue:
    """An in-memory catalogue keyed like the station's: GTINs as 14 digits, internal codes as text."""

    products: list[Product] = field(default_factory=lambda: [MUG, SODA, GUM])
    locations: set[str] = field(default_factory=lambda: {"A-03-02-1", "B-01-01-2"})

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        for product in self.products:
            for barcode in product.barcodes:
                if barcode.key == key:
                    return product, barcode.units
        return None

    def location_exists(self, code: str) -> bool:
        return code in self.locations


RULES = LabelRules()


def meaning(text: str, rules: LabelRules = RULES, **kw: object) -> Meaning:
    return interpret(text, catalogue=FakeCatalogue(), rules=rules, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4006381333931", ProductScan(MUG, 1, gtin="04006381333931")),
        ("04006381333931", ProductScan(MUG, 1, gtin="04006381333931")),
        ("036000291452", ProductScan(SODA, 1, gtin="00036000291452")),
        ("0036000291452", ProductScan(SODA, 1, gtin="00036000291452")),
        ("00036000291452", ProductScan(SODA, 1, gtin="00036000291452")),
        ("96385074", ProductScan(SODA, 1, gtin="00000096385074")),
        ("04252614", ProductScan(GUM, 1, gtin="00042100005264")),
        ("14006381333938", ProductScan(MUG, 6, gtin="14006381333938")),
        ("MUG-RED-INT", ProductScan(MUG, 1)),
        ("A-03-02-1", LocationScan("A-03-02-1")),
        ("T-0042", ToteScan("T-0042")),
        ("OP-1001", BadgeScan("OP-1001")),
        ("ORD-1234", OrderLabelScan("ORD-1234", "1234")),
        ("RMA-12", RmaScan("RMA-12")),
        ("CMD-SHORT", CommandScan("short")),
        ("cmd-skip", CommandScan("skip")),
        ("]E04006381333931", ProductScan(MUG, 1, gtin="04006381333931")),
        ("4006381333931\r\n", ProductScan(MUG, 1, gtin="04006381333931")),
    ],
)
def test_scans_mean_what_the_floor_expects(text: str, expected: Meaning) -> None:
    assert meaning(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4006381333932", "EAN-13 check digit is wrong (expected 1, got 2)"),
        ("036000291453", "UPC-A check digit is wrong (expected 2, got 3)"),
        ("00036000291453", "GTIN-14 check digit is wrong (expected 2, got 3)"),
        ("", "the scan is empty"),
        ("CMD-", "command label without a command"),
    ],
)
def test_malformed_scans_are_invalid_with_a_precise_reason(text: str, reason: str) -> None:
    assert meaning(text) == Invalid(text.strip(), reason)


def test_eight_digits_that_are_neither_ean8_nor_upce_say_both() -> None:
    result = meaning("12345678")
    assert isinstance(result, Invalid)
    assert result.reason.startswith("EAN-8 check digit is wrong (expected 0, got 8)")
    assert "UPC-E" in result.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5012345678900", "EAN-13 5012345678900 is not in the catalogue"),
        ("A-09-09-9", "A-09-09-9 is not a known location"),
        ("HELLO", "HELLO is not a known product code or label"),
        ("12345", "5-digit code is not a GTIN (8, 12, 13 or 14 digits) nor a known code"),
    ],
)
def test_well_formed_but_unknown_scans_say_why(text: str, reason: str) -> None:
    assert meaning(text) == Unknown(text, reason)


def test_ean8_aim_does_not_try_upce() -> None:
    assert meaning("96385074", aim="]E4") == ProductScan(SODA, 1, gtin="00000096385074")


def test_location_with_check_digit_is_verified() -> None:
    rules = LabelRules(location_check_digit=True)
    digit = location_check_digit("A-03-02-1")
    assert meaning(f"A-03-02-1*{digit}", rules) == LocationScan("A-03-02-1")
    wrong = (digit + 1) % 10
    assert meaning(f"A-03-02-1*{wrong}", rules) == Invalid(
        f"A-03-02-1*{wrong}",
        f"location check digit is wrong (expected {digit}, got {wrong}): rescan the label",
    )
    typed = meaning("A-03-02-1", rules)
    assert isinstance(typed, Invalid) and "needs its check digit" in typed.reason


def test_location_check_digit_changes_when_any_character_changes() -> None:
    base = location_check_digit("A-03-02-1")
    assert {location_check_digit(c) for c in ("A-03-02-2", "A-04-02-1", "B-03-02-1")} != {base}
    assert location_check_digit("a-03-02-1") == base


def test_custom_label_patterns_from_config_apply() -> None:
    rules = LabelRules(location=r"LOC\d{4}", tote=r"BIN-\d+", command_prefix="#")
    assert meaning("B-01-01-2", rules) == Unknown(
        "B-01-01-2", "B-01-01-2 is not a known product code or label"
    )
    assert meaning("BIN-7", rules) == ToteScan("BIN-7")
    assert meaning("#done", rules) == CommandScan("done")
