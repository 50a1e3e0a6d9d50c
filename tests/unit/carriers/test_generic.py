"""Generic carriers, offline: karrio-generic rates Aisle's sheet exactly as the domain prices it; ship
numbers a parcel from the callable it was given; void, track and manifest answer without a network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.carriers.config import load_carriers
from app.carriers.generic import GenericCarrier
from app.carriers.port import Address, CarrierError, ShipRequest
from app.domain.shipping.choice import ShippingRequest, choose
from app.domain.shipping.sheets import Destination, Parcel
from tests.unit.carriers.test_config import EXAMPLE

CONFIG = load_carriers(EXAMPLE, environ={})
POST = CONFIG.account("post")
COURIER = CONFIG.account("courier")
HOME = Address("Aisle Warehouse", ("Lagerstr. 1",), "Berlin", "10115", "DE")
MONDAY = datetime(2026, 12, 7, 9, 0)
ANNA = Address("Anna Muster", ("Hauptstr. 5",), "München", "80331", "DE")


def numbers(prefix: str = "T") -> tuple[list[tuple[str, str]], Callable[[str, str], str]]:
    asked: list[tuple[str, str]] = []

    def next_tracking(carrier: str, service: str) -> str:
        asked.append((carrier, service))
        return f"{prefix}{len(asked):04d}"

    return asked, next_tracking


def test_rates_come_from_the_sheet_through_karrio() -> None:
    post = GenericCarrier(POST, "DE", lambda c, s: "unused")
    rates = post.rate(Parcel(2500, 300, 200, 100), Destination("DE", "80331"))
    assert [(r.service, str(r.price), r.currency, r.transit_days) for r in rates] == [
        ("parcel", "6.99", "EUR", 2),
        ("express", "11.90", "EUR", 1),
    ]
    island = post.rate(Parcel(2500, 300, 200, 100), Destination("DE", "185 65"))
    assert [(r.service, str(r.price), r.transit_days) for r in island] == [("parcel", "14.99", 4)]
    assert post.rate(Parcel(2500, 300, 200, 100), Destination("US", "10001")) == []


async def test_rates_work_from_a_thread_whose_event_loop_runs() -> None:
    """karrio sends through asyncio.run: an async caller (an async endpoint, Playwright's sync API in the
    same process) must still get its rates, not 'asyncio.run() cannot be called from a running event loop'."""
    post = GenericCarrier(POST, "DE", lambda c, s: "unused")
    rates = post.rate(Parcel(2500, 300, 200, 100), Destination("DE", "80331"))
    assert [r.service for r in rates] == ["parcel", "express"]


def test_band_limits_are_inclusive_through_karrio_too() -> None:
    post = GenericCarrier(POST, "DE", lambda c, s: "unused")
    at_limit = post.rate(Parcel(2000, 100, 100, 100), Destination("DE", "80331"))
    over = post.rate(Parcel(2001, 100, 100, 100), Destination("DE", "80331"))
    assert str(at_limit[0].price) == "4.99" and str(over[0].price) == "6.99"


@settings(max_examples=60, deadline=None)
@given(
    weight=st.integers(1, 42_000),
    sides=st.tuples(st.integers(10, 1800), st.integers(10, 900), st.integers(10, 900)),
    destination=st.sampled_from(
        [
            Destination("DE", "80331"),
            Destination("DE", "25938"),
            Destination("FR", "75001"),
            Destination("IT", ""),
        ]
    ),
)
def test_karrio_prices_every_eligible_service_as_the_domain_does(
    weight: int, sides: tuple[int, int, int], destination: Destination
) -> None:
    parcel = Parcel(weight, *sides)
    for account in (POST, COURIER):
        assert account.sheet is not None
        carrier = GenericCarrier(account, "DE", lambda c, s: "unused")
        by_karrio = {r.service: r.price for r in carrier.rate(parcel, destination)}
        choice = choose(parcel, destination, ShippingRequest(), MONDAY, (account.sheet,))
        within_limits = {
            c.service: c.price
            for c in choice.candidates
            if c.price is not None and not any(r.startswith("over max") for r in c.reasons)
        }
        assert by_karrio == within_limits


def test_ship_takes_the_tracking_number_from_the_callable_and_leaves_the_label_to_aisle() -> None:
    asked, next_tracking = numbers("PO")
    post = GenericCarrier(POST, "DE", next_tracking)
    shipped = post.ship(ShipRequest("parcel", Parcel(1200, 300, 200, 100), HOME, ANNA, "ORD-7"))
    again = post.ship(ShipRequest("express", Parcel(1200, 300, 200, 100), HOME, ANNA, "ORD-8"))
    assert (shipped.tracking_number, again.tracking_number) == ("PO0001", "PO0002")
    assert asked == [("post", "parcel"), ("post", "express")]
    assert shipped.label is None and shipped.carrier == "post" and shipped.service == "parcel"


def test_ship_refuses_a_service_that_does_not_go_there() -> None:
    asked, next_tracking = numbers()
    post = GenericCarrier(POST, "DE", next_tracking)
    paris = Address("Jean", ("1 rue X",), "Paris", "75001", "FR")
    with pytest.raises(CarrierError, match="express does not go to FR 75001"):
        post.ship(ShipRequest("express", Parcel(1200, 300, 200, 100), HOME, paris, "ORD-9"))
    with pytest.raises(CarrierError, match="no service 'overnight'"):
        post.ship(ShipRequest("overnight", Parcel(1200, 300, 200, 100), HOME, ANNA, "ORD-9"))
    assert asked == []  # no number is spent on a refusal


def test_void_track_and_manifest_need_no_network() -> None:
    post = GenericCarrier(POST, "DE", lambda c, s: "unused")
    assert post.void("PO0001").at_carrier is False
    assert post.track("PO0001").available is False
    manifest = post.manifest(["PO0001", "PO0002"])
    assert manifest.tracking_numbers == ("PO0001", "PO0002") and manifest.document is None
