"""SSCC-18 and the plain numeric scheme (GS1 mod-10): published samples, ranges, and the property that every
issued number validates while any single changed digit never does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.shipping.identifiers import SsccScheme, format_sscc_hri, gs1_mod10_valid
from app.domain.shipping.schemes import make_scheme
from app.domain.shipping.tracking import Mod10Scheme


def test_the_gs1_published_sscc_is_issued_and_valid() -> None:
    # GS1 General Specifications' example: extension 1, company prefix 0614141, serial reference 123456789
    scheme = SsccScheme("0614141", 1)
    assert scheme.issue(123456789) == "106141411234567897"
    assert scheme.is_valid("106141411234567897")
    assert not scheme.is_valid("106141411234567890")
    assert scheme.serial_of("106141411234567897") == 123456789


def test_the_serial_reference_is_padded_so_the_sscc_has_17_digits_before_its_check() -> None:
    assert SsccScheme("0614141", 3).issue(7)[:17] == "30614141000000007"
    assert SsccScheme("12345678901", 0).issue(1)[:17] == "01234567890100001"


@pytest.mark.parametrize(
    ("prefix", "capacity"), [("1234567", 10**9), ("123456789", 10**7), ("12345678901", 10**5)]
)
def test_the_serial_range_depends_on_the_prefix_length(prefix: str, capacity: int) -> None:
    scheme = SsccScheme(prefix)
    assert scheme.capacity == capacity
    scheme.issue(capacity - 1)
    with pytest.raises(ValueError, match="outside"):
        scheme.issue(capacity)
    with pytest.raises(ValueError, match="outside"):
        scheme.issue(-1)


@pytest.mark.parametrize("prefix", ["123456", "123456789012", "12345a7", ""])
def test_a_company_prefix_is_7_to_11_digits(prefix: str) -> None:
    with pytest.raises(ValueError, match="company prefix"):
        SsccScheme(prefix)


def test_the_extension_digit_is_one_digit() -> None:
    with pytest.raises(ValueError, match="extension"):
        SsccScheme("0614141", 10)


def test_the_human_readable_text_splits_extension_prefix_serial_and_check() -> None:
    assert format_sscc_hri("306141411234567891", 7) == "(00) 3 0614141 123456789 1"
    assert (
        SsccScheme("06141411234", 0)
        .hri(SsccScheme("06141411234", 0).issue(42))
        .startswith("(00) 0 06141411234 00042 ")
    )
    with pytest.raises(ValueError):
        format_sscc_hri("12345", 7)


def test_serial_of_refuses_another_prefix_or_extension() -> None:
    other = SsccScheme("0614142", 1).issue(5)
    with pytest.raises(ValueError, match="not an SSCC"):
        SsccScheme("0614141", 1).serial_of(other)
    with pytest.raises(ValueError, match="not an SSCC"):
        SsccScheme("0614141", 2).serial_of(SsccScheme("0614141", 1).issue(5))


def _changed_digit(text: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(text) - 1), label="position")
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != text[i]]), label="new digit")
    return text[:i] + digit + text[i + 1 :]


prefixes = st.integers(7, 11).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))


@given(prefix=prefixes, ext=st.integers(0, 9), data=st.data())
def test_every_issued_sscc_validates_and_no_single_changed_digit_does(
    prefix: str, ext: int, data: st.DataObject
) -> None:
    scheme = SsccScheme(prefix, ext)
    serial = data.draw(st.integers(0, scheme.capacity - 1), label="serial")
    sscc = scheme.issue(serial)
    assert len(sscc) == 18 and scheme.is_valid(sscc) and scheme.serial_of(sscc) == serial
    assert not scheme.is_valid(_changed_digit(sscc, data))


@given(prefix=st.text("0123456789", max_size=4), digits=st.integers(8, 20), data=st.data())
def test_every_issued_numeric_number_validates_and_no_single_changed_digit_does(
    prefix: str, digits: int, data: st.DataObject
) -> None:
    scheme = Mod10Scheme(digits, prefix)
    serial = data.draw(st.integers(0, scheme.capacity - 1), label="serial")
    number = scheme.issue(serial)
    assert len(number) == digits and number.startswith(prefix) and scheme.is_valid(number)
    assert scheme.serial_of(number) == serial
    assert not scheme.is_valid(_changed_digit(number, data))


def test_gs1_mod10_misses_an_adjacent_swap_of_digits_five_apart_and_catches_others() -> None:
    # the documented limit: weights 3 and 1, so swapping neighbours a, b shifts the sum by 2(a - b)
    five = Mod10Scheme(12).issue(5)
    assert five[9:11] == "05"
    assert gs1_mod10_valid(five[:9] + "50" + five[11:])  # 0 and 5 swapped: missed
    twelve = Mod10Scheme(12).issue(12)
    assert twelve[9:11] == "12"
    assert not gs1_mod10_valid(twelve[:9] + "21" + twelve[11:])  # 1 and 2 swapped: caught


def test_make_scheme_builds_each_scheme_from_stored_strings_and_names_mistakes() -> None:
    assert make_scheme("sscc", {"company_prefix": "0614141", "extension_digit": "1"}).issue(123456789) == (
        "106141411234567897"
    )
    assert make_scheme("mod10", {"prefix": "9", "digits": "10"}).issue(1) == Mod10Scheme(10, "9").issue(1)
    with pytest.raises(ValueError, match="unknown number scheme"):
        make_scheme("fedex", {})
    with pytest.raises(ValueError, match="takes"):
        make_scheme("s10", {"shipper": "X"})
