"""Rate sheet data: zones by country and postcode prefix, weight bands, dimensional weight, working days."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.domain.shipping.calendar import add_working_days, collection_day
from app.domain.shipping.sheets import Destination, Parcel, RateSheet, ServiceLevel, Zone, ZonePrice
from tests.unit.domain.shipping.sheets_for_tests import POST, bands


def test_longest_postcode_prefix_wins_over_the_country() -> None:
    assert POST.zone_for(Destination("DE", "18565")).code == "DE-ISL"
    assert POST.zone_for(Destination("de", "185 65 ")).code == "DE-ISL"
    assert POST.zone_for(Destination("DE", "18566")).code == "DE"
    assert POST.zone_for(Destination("FR", "75001")).code == "EU"
    assert POST.zone_for(Destination("US", "10001")) is None


def test_two_zones_claiming_the_same_destination_are_refused() -> None:
    with pytest.raises(ValueError, match="A and B both claim"):
        RateSheet("x", "EUR", time(16), 5000, (Zone("A", ("DE",)), Zone("B", ("DE",))), ())


def test_weight_band_is_inclusive_of_its_upper_limit() -> None:
    price = ZonePrice(2, bands((2000, "4.99"), (5000, "6.99")))
    assert str(price.band_for(2000).price) == "4.99"
    assert str(price.band_for(2001).price) == "6.99"
    assert price.band_for(5001) is None


def test_bands_must_ascend() -> None:
    with pytest.raises(ValueError, match="heavier"):
        ZonePrice(2, bands((5000, "6.99"), (2000, "4.99")))


def test_chargeable_weight_is_the_larger_of_actual_and_dimensional() -> None:
    box = Parcel(weight_g=1000, length_mm=400, width_mm=300, height_mm=200)  # 24 000 cm³
    assert box.dimensional_g(5000) == 4800
    assert box.chargeable_g(5000) == 4800
    assert Parcel(6000, 400, 300, 200).chargeable_g(5000) == 6000
    assert Parcel(1, 1, 1, 1).dimensional_g(5000) == 1  # rounded up, never 0 for a real box


def test_sides_are_compared_longest_first() -> None:
    assert Parcel(1, 200, 900, 300).sides_mm == (900, 300, 200)


def test_service_level_parse() -> None:
    assert ServiceLevel.parse("next-day") is ServiceLevel.NEXT_DAY
    assert ServiceLevel.NEXT_DAY.code == "next_day"
    with pytest.raises(ValueError, match="'overnight'"):
        ServiceLevel.parse("overnight")


def test_collection_day_before_and_after_the_cut_off_and_at_weekends() -> None:
    thursday = date(2026, 12, 3)
    assert collection_day(datetime(2026, 12, 3, 15, 59), time(16)) == thursday
    assert collection_day(datetime(2026, 12, 3, 16, 0), time(16)) == date(2026, 12, 4)  # at the cut-off: late
    assert collection_day(datetime(2026, 12, 4, 17, 0), time(16)) == date(2026, 12, 7)  # Friday late: Monday
    assert collection_day(datetime(2026, 12, 5, 9, 0), time(16)) == date(2026, 12, 7)  # Saturday: Monday


def test_transit_counts_working_days() -> None:
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday + 1: Monday
    assert add_working_days(date(2026, 12, 3), 2) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 7), 0) == date(2026, 12, 7)
