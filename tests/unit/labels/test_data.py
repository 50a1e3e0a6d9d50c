"""LabelData: refused when a label could not be right; the GS1 element strings its barcodes carry."""

from __future__ import annotations

import dataclasses

import pytest

from app.labels import Address, LabelDataError, sample_label
from app.labels.gs1 import country_numeric, routing_element, sscc_check_digit


def test_sscc_check_digit_is_gs1_mod_10() -> None:
    # GS1 General Specifications example SSCC 1 0614141 123456789 check digit 7 (biip agrees)
    assert sscc_check_digit("10614141123456789") == "7"
    assert sscc_check_digit("01234560000000001") == "2"


@pytest.mark.parametrize("sscc", ["012345600000000013", "01234560000000001", "01234560000000001X"])
def test_a_wrong_sscc_is_refused(sscc: str) -> None:
    with pytest.raises(LabelDataError, match="SSCC"):
        dataclasses.replace(sample_label(), sscc=sscc)


def test_routing_is_ai_420_at_home_and_421_with_the_numeric_country_abroad() -> None:
    assert routing_element("SW1A 1AA", "GB", "GB") == "420SW1A1AA"
    assert routing_element("10115", "DE", "GB") == "421276" + "10115"
    assert routing_element("94103", "US", "GB") == "42184094103"
    label = sample_label()
    assert label.routing_element == "42127610115"
    assert label.routing_text == "(421) 276 10115"
    home = dataclasses.replace(label, ship_to=Address("A", (), "Leeds", "ls1 4ab", "GB"))
    assert home.routing_element == "420LS14AB" and home.routing_text == "(420) LS14AB"


def test_origin_country_overrides_the_ship_from_country() -> None:
    label = dataclasses.replace(sample_label(), origin_country="DE")
    assert label.routing_element == "42010115"


def test_country_codes_come_from_iso_3166() -> None:
    assert (country_numeric("NL"), country_numeric("us"), country_numeric("AD")) == ("528", "840", "020")
    with pytest.raises(LabelDataError, match="'XX'"):
        country_numeric("XX")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parcel_number": 4}, "parcel 4 of 3"),
        ({"parcel_number": 0}, "parcel 0 of 3"),
        ({"weight_g": 0}, "weight"),
        ({"tracking_number": "1Z\n99"}, "tracking number"),
        ({"tracking_number": ""}, "tracking number"),
        ({"ship_to": Address("A", (), "X", "1234567890", "FR")}, "AI 421"),
        ({"ship_to": Address("A", (), "X", "75001", "ZZ")}, "'ZZ'"),
        ({"ship_to": Address("A", (), "X", "75/001", "FR")}, "postcode"),
    ],
)
def test_impossible_labels_are_refused_by_name(change: dict[str, object], message: str) -> None:
    with pytest.raises(LabelDataError, match=message):
        dataclasses.replace(sample_label(), **change)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "name"),
        ({"country": "DEU"}, "alpha-2"),
        ({"lines": ("a", "b", "c", "d")}, "at most 3"),
    ],
)
def test_addresses_that_do_not_fit_the_label_are_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"name": "A", "lines": (), "city": "X", "postcode": "1", "country": "DE"}
    with pytest.raises(LabelDataError, match=message):
        Address(**(fields | kwargs))  # type: ignore[arg-type]


def test_human_readable_lines() -> None:
    label = sample_label()
    assert (label.sscc_text, label.parcel_text, label.weight_text) == (
        "(00) 012345600000000012",
        "parcel 2 of 3",
        "1.25 kg",
    )
