"""Tracking-number schemes: UPS 1Z and UPU S10 against published numbers, and what each check catches."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.shipping.tracking import (
    S10Scheme,
    UpsScheme,
    s10_check_digit,
    ups_check_digit,
    ups_value,
)

ALNUM = string.digits + string.ascii_uppercase


def test_the_published_ups_number_is_issued_and_valid() -> None:
    # the 1Z number UPS documentation and test suites use: shipper 999AA1, service 01, reference 2345678
    scheme = UpsScheme("999AA1", "01")
    assert scheme.issue(2345678) == "1Z999AA10123456784"
    assert scheme.is_valid("1Z999AA10123456784")
    assert scheme.serial_of("1Z999AA10123456784") == 2345678
    assert not scheme.is_valid("1Z999AA10123456785")
    assert not scheme.is_valid("1z999AA10123456784")


def test_ups_letters_count_as_digits_the_way_ups_converts_them() -> None:
    assert [ups_value(c) for c in "AHIJKSTZ"] == [2, 9, 0, 1, 2, 0, 1, 7]
    assert [ups_value(c) for c in "0123456789"] == list(range(10))


def test_the_s10_sample_is_issued_and_valid() -> None:
    # 1*8 + 2*6 + 3*4 + 4*2 + 5*3 + 6*5 + 7*9 + 8*7 = 204; 204 % 11 = 6; 11 - 6 = 5
    scheme = S10Scheme("RA", "GB")
    assert scheme.issue(12345678) == "RA123456785GB"
    assert scheme.is_valid("RA123456785GB") and scheme.is_valid("AA123456785GB")
    assert scheme.serial_of("RA123456785GB") == 12345678
    assert not scheme.is_valid("RA123456784GB")
    assert not scheme.is_valid("RA12345678GB")


def test_s10_check_10_becomes_0_and_11_becomes_5() -> None:
    # remainder 1 → 11 - 1 = 10 → 0 ; remainder 0 → 11 → 5
    assert s10_check_digit("00000001") == 11 - 7  # weight 7 on the last digit: remainder 7 → 4
    assert s10_check_digit("00000000") == 5
    serial = next(
        f"{n:08d}"
        for n in range(1000)
        if sum(int(d) * w for d, w in zip(f"{n:08d}", (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11 == 1
    )
    assert s10_check_digit(serial) == 0


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: UpsScheme("999AA"), "shipper"),
        (lambda: UpsScheme("999aa1"), "shipper"),
        (lambda: UpsScheme("999AA1", "1"), "service"),
        (lambda: S10Scheme("R1", "GB"), "service indicator"),
        (lambda: S10Scheme("RA", "gb"), "country"),
    ],
)
def test_scheme_parameters_are_checked(make: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()  # type: ignore[operator]


def test_serial_outside_the_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        UpsScheme("999AA1").issue(10_000_000)
    with pytest.raises(ValueError, match="outside"):
        S10Scheme().issue(100_000_000)


shippers = st.text(ALNUM, min_size=6, max_size=6)


@given(shipper=shippers, service=st.integers(0, 99), serial=st.integers(0, 9_999_999), data=st.data())
def test_every_1z_number_validates_and_a_changed_character_is_caught_unless_ups_cannot_see_it(
    shipper: str, service: int, serial: int, data: st.DataObject
) -> None:
    scheme = UpsScheme(shipper, f"{service:02d}")
    number = scheme.issue(serial)
    assert len(number) == 18 and scheme.is_valid(number) and scheme.serial_of(number) == serial
    i = data.draw(st.integers(2, 17), label="position")
    allowed = ALNUM if i < 8 else string.digits  # letters only in the shipper
    new = data.draw(st.sampled_from([c for c in allowed if c != number[i]]), label="new character")
    changed = number[:i] + new + number[i + 1 :]
    shift = (ups_value(new) - ups_value(number[i])) % 10
    # blind spots (documented): the same converted digit, or a shift of 5 at a weight-2 (even) position
    blind = i < 17 and (shift == 0 or (shift == 5 and (i - 2) % 2 == 1))
    assert scheme.is_valid(changed) is blind


def test_the_1z_blind_spots_are_real() -> None:
    number = UpsScheme("999AA1", "01").issue(2345678)
    assert UpsScheme("999AA1").is_valid(number[:5] + "K" + number[6:])  # A and K both count as 2
    assert number[3] == "9"  # position 2 of the body: weight 2
    assert UpsScheme("999AA1").is_valid(number[:3] + "4" + number[4:])  # 9 → 4: sum shifts by 10
    assert ups_check_digit(number[2:17]) == 4


@given(
    indicator=st.text(string.ascii_uppercase, min_size=2, max_size=2),
    serial=st.integers(0, 99_999_999),
    data=st.data(),
)
def test_every_s10_number_validates_and_a_changed_digit_is_caught_unless_mod11_folds_it(
    indicator: str, serial: int, data: st.DataObject
) -> None:
    scheme = S10Scheme(indicator, "GB")
    number = scheme.issue(serial)
    assert scheme.is_valid(number) and scheme.serial_of(number) == serial
    i = data.draw(st.integers(2, 10), label="position")
    new = data.draw(st.sampled_from([d for d in string.digits if d != number[i]]), label="new digit")
    changed = number[:i] + new + number[i + 1 :]
    if i == 10:  # the check digit itself: always caught
        assert not scheme.is_valid(changed)
        return
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    before = sum(int(d) * w for d, w in zip(number[2:10], weights, strict=True)) % 11
    after = sum(int(d) * w for d, w in zip(changed[2:10], weights, strict=True)) % 11
    assert before != after  # mod 11 with weights and digits below 11 always moves the remainder…
    assert scheme.is_valid(changed) is ({before, after} == {0, 6})  # …but remainders 0 and 6 both give 5


def test_the_s10_blind_spot_is_real() -> None:
    # serial 00000000 has remainder 0 (check 5); 00000070 has remainder 7*9 % 11 = 8 … find one at 6
    base = S10Scheme().issue(0)
    folded = next(
        base[:i] + d + base[i + 1 :]
        for i in range(2, 10)
        for d in "123456789"
        if int(d) * (8, 6, 4, 2, 3, 5, 9, 7)[i - 2] % 11 == 6
    )
    assert folded != base and S10Scheme().is_valid(folded)
