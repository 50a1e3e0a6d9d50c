"""GTIN check digits, lengths and normalisation."""

import pytest

from app.domain.errors import InvalidBarcode
from app.domain.gtin import check_digit, gtin_problem, is_gtin, normalize_gtin, upce_to_upca


@pytest.mark.parametrize(
    "code", ["4006381333931", "036000291452", "96385074", "10012345678902", "5901234123457"]
)
def test_valid_gtins_pass(code: str) -> None:
    assert is_gtin(code)


def test_wrong_check_digit_names_the_kind_and_expected_digit() -> None:
    assert gtin_problem("4006381333932") == "EAN-13 check digit is wrong (expected 1, got 2)"
    assert gtin_problem("036000291453") == "UPC-A check digit is wrong (expected 2, got 3)"


def test_wrong_length_and_letters_are_refused() -> None:
    assert "8, 12, 13 or 14" in (gtin_problem("12345") or "")
    assert gtin_problem("40063813339A1") == "a GTIN has digits only"


def test_upc_a_and_ean_13_normalise_to_the_same_gtin_14() -> None:
    assert normalize_gtin("036000291452") == normalize_gtin("0036000291452") == "00036000291452"


def test_normalize_refuses_invalid_codes_with_reason() -> None:
    with pytest.raises(InvalidBarcode, match="check digit is wrong"):
        normalize_gtin("4006381333932")


def test_check_digit_of_known_body() -> None:
    assert check_digit("400638133393") == 1


def test_upce_expands_to_upca() -> None:
    assert upce_to_upca("04252614") == "042100005264"
