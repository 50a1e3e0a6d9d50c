"""Camera reads of case and fresh-food codes: ITF-14 (]I1) and GS1 DataBar (]e0) become products, cases
counting the units their catalogue barcode says."""

from __future__ import annotations

from datetime import date

from app.domain.interpret import interpret
from app.domain.scanning import LabelRules, Meaning, ProductScan, Unknown
from tests.unit.domain.test_interpret import MUG, FakeCatalogue

CASE = "14006381333938"  # MUG's case barcode: 6 units


def meaning(text: str, aim: str, gs1: bool) -> Meaning:
    return interpret(text, gs1=gs1, aim=aim, catalogue=FakeCatalogue(), rules=LabelRules())


def test_an_itf14_case_code_counts_the_units_of_the_case() -> None:
    assert meaning(CASE, "]I1", False) == ProductScan(MUG, 6, gtin=CASE)


def test_an_itf14_of_an_unregistered_case_is_unknown_naming_the_gtin14() -> None:
    found = meaning("24006381333935", "]I1", False)
    assert isinstance(found, Unknown) and "GTIN-14 24006381333935" in found.reason


def test_databar_is_gs1_by_its_aim_id_alone() -> None:
    assert meaning("0104006381333931", "]e0", False) == ProductScan(MUG, 1, gtin="04006381333931")
    assert meaning(f"01{CASE}", "]e0", False) == ProductScan(MUG, 6, gtin=CASE)


def test_databar_expanded_carries_weight_expiry_and_lot() -> None:
    assert meaning("010400638133393131030012501527013110L42", "]e0", True) == ProductScan(
        MUG, 1, gtin="04006381333931", lot="L42", expiry=date(2027, 1, 31), weight_g=1250
    )
