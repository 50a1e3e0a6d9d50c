"""choose(): one test per rule, each naming the reason a candidate lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain.shipping.choice import Candidate, Choice, ShippingRequest, choose
from app.domain.shipping.sheets import Destination, Parcel, ServiceLevel
from tests.unit.domain.shipping.sheets_for_tests import COURIER, POST, SHEETS

SMALL = Parcel(weight_g=1500, length_mm=300, width_mm=200, height_mm=100)  # dimensional 1200 g / 1500 g
BERLIN = Destination("DE", "10115")
THURSDAY_MORNING = datetime(2026, 12, 3, 10, 0)


def by_key(choice: Choice) -> dict[str, Candidate]:
    return {c.key: c for c in choice.candidates}


def test_cheapest_eligible_wins_and_the_others_say_by_how_much() -> None:
    choice = choose(SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, SHEETS)
    assert choice.chosen is not None and choice.chosen.key == "post/parcel"
    assert choice.chosen.price == Decimal("4.99") and choice.chosen.reasons == ()
    c = by_key(choice)
    assert c["courier/standard"].reasons == ("dearer than post/parcel by 2.00",)
    assert c["post/express"].reasons == ("dearer than post/parcel by 6.91",)
    assert len(choice.candidates) == 4


def test_requested_level_excludes_slower_services_and_admits_faster_ones() -> None:
    choice = choose(SMALL, BERLIN, ShippingRequest(ServiceLevel.EXPRESS), THURSDAY_MORNING, SHEETS)
    c = by_key(choice)
    assert c["post/parcel"].reasons == ("standard service, express requested",)
    assert c["courier/standard"].eligible is False
    assert choice.chosen is not None and choice.chosen.key == "post/express"
    assert c["courier/next_day"].reasons == ("dearer than post/express by 1.09",)


def test_destination_without_zone_or_without_price() -> None:
    choice = choose(SMALL, Destination("US", "10001"), ShippingRequest(), THURSDAY_MORNING, SHEETS)
    assert choice.chosen is None
    assert all("does not deliver to US 10001" in c.reasons for c in choice.candidates)
    island = choose(SMALL, Destination("DE", "18565"), ShippingRequest(), THURSDAY_MORNING, (POST,))
    assert by_key(island)["post/express"].reasons == ("does not serve zone DE-ISL",)
    assert island.chosen is not None and island.chosen.price == Decimal("9.99")


def test_postcode_zone_prices_differently_from_the_rest_of_the_country() -> None:
    mainland = choose(SMALL, Destination("DE", "18566"), ShippingRequest(), THURSDAY_MORNING, (POST,))
    assert mainland.chosen is not None and mainland.chosen.price == Decimal("4.99")


def test_max_weight_is_on_the_actual_weight() -> None:
    heavy = replace(SMALL, weight_g=32_000)
    c = by_key(choose(heavy, BERLIN, ShippingRequest(), THURSDAY_MORNING, SHEETS))
    assert "over max weight 31.5 kg" in c["post/parcel"].reasons
    assert "over max weight 20 kg" in c["post/express"].reasons
    assert c["courier/standard"].eligible


def test_dimensional_weight_moves_a_light_big_box_into_a_dearer_band() -> None:
    light_big = Parcel(weight_g=800, length_mm=500, width_mm=400, height_mm=300)  # 60 000 cm³
    choice = choose(light_big, BERLIN, ShippingRequest(), THURSDAY_MORNING, (POST,))
    assert choice.chosen is not None
    assert choice.chosen.chargeable_g == 12_000  # post divides by 5000
    assert choice.chosen.price == Decimal("16.49")
    courier = choose(light_big, BERLIN, ShippingRequest(), THURSDAY_MORNING, (COURIER,))
    assert courier.chosen is not None and courier.chosen.chargeable_g == 15_000  # courier divides by 4000


def test_chargeable_weight_over_the_last_band() -> None:
    bulky = Parcel(weight_g=1000, length_mm=1000, width_mm=500, height_mm=400)  # 40 kg dimensional at 5000
    c = by_key(choose(bulky, BERLIN, ShippingRequest(), THURSDAY_MORNING, (POST,)))
    assert c["post/parcel"].reasons == ("no weight band for 40 kg chargeable",)
    assert c["post/parcel"].price is None


def test_max_size_compares_sides_longest_first() -> None:
    long = Parcel(weight_g=1000, length_mm=100, width_mm=100, height_mm=1300)
    c = by_key(choose(long, BERLIN, ShippingRequest(), THURSDAY_MORNING, SHEETS))
    assert c["post/parcel"].reasons == ("over max size 1200×600×600 mm",)
    assert c["courier/standard"].eligible


def test_promised_delivery_date_against_transit_days() -> None:
    friday = date(2026, 12, 4)
    choice = choose(SMALL, BERLIN, ShippingRequest(deliver_by=friday), THURSDAY_MORNING, SHEETS)
    c = by_key(choice)
    assert c["post/parcel"].reasons == ("arrives 2026-12-07, promised 2026-12-04",)  # 2 working days
    assert c["post/express"].arrival == friday
    assert choice.chosen is not None and choice.chosen.key == "post/express"


def test_after_the_cut_off_the_parcel_leaves_tomorrow() -> None:
    late = datetime(2026, 12, 3, 17, 0)  # after the post's 16:00, before the courier's 18:30
    thursday = date(2026, 12, 3)
    choice = choose(SMALL, BERLIN, ShippingRequest(ship_by=thursday), late, SHEETS)
    c = by_key(choice)
    assert c["post/parcel"].reasons == ("leaves 2026-12-04, promised to ship by 2026-12-03",)
    assert c["courier/standard"].ship_date == thursday
    assert choice.chosen is not None and choice.chosen.key == "courier/standard"


def test_friday_after_cut_off_leaves_monday_and_arrives_after_the_weekend() -> None:
    friday_late = datetime(2026, 12, 4, 19, 0)
    choice = choose(SMALL, BERLIN, ShippingRequest(ServiceLevel.NEXT_DAY), friday_late, (COURIER,))
    assert choice.chosen is not None
    assert (choice.chosen.ship_date, choice.chosen.arrival) == (date(2026, 12, 7), date(2026, 12, 8))


def test_every_broken_rule_is_listed() -> None:
    awful = Parcel(weight_g=35_000, length_mm=1300, width_mm=100, height_mm=100)
    c = by_key(choose(awful, BERLIN, ShippingRequest(ServiceLevel.EXPRESS), THURSDAY_MORNING, (POST,)))
    assert c["post/parcel"].reasons == (
        "standard service, express requested",
        "over max weight 31.5 kg",
        "over max size 1200×600×600 mm",
        "no weight band for 35 kg chargeable",
    )


def test_preference_breaks_a_tie_in_price() -> None:
    same_price = replace(COURIER, carrier="twin")  # the courier's prices under another name
    sheets = (COURIER, same_price)
    plain = choose(SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, sheets)
    assert plain.chosen is not None and plain.chosen.key == "courier/standard"  # sheet order
    pref = choose(SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, sheets, preference=("twin",))
    assert pref.chosen is not None and pref.chosen.key == "twin/standard"
    assert by_key(pref)["courier/standard"].reasons == ("not preferred (twin/standard costs the same)",)
    by_service = choose(
        SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, sheets, preference=("courier/standard", "twin")
    )
    assert by_service.chosen is not None and by_service.chosen.key == "courier/standard"


def test_preference_never_beats_a_lower_price() -> None:
    choice = choose(SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, SHEETS, preference=("courier",))
    assert choice.chosen is not None and choice.chosen.key == "post/parcel"


def test_sheets_in_two_currencies_are_refused() -> None:
    with pytest.raises(ValueError, match="currency"):
        choose(SMALL, BERLIN, ShippingRequest(), THURSDAY_MORNING, (POST, replace(COURIER, currency="GBP")))
