"""Properties of choose() over random parcels, destinations, requests and times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.shipping.choice import Candidate, ShippingRequest, choose
from app.domain.shipping.sheets import Destination, Parcel, ServiceLevel
from tests.unit.domain.shipping.sheets_for_tests import SHEETS

parcels = st.builds(
    Parcel,
    weight_g=st.integers(1, 45_000),
    length_mm=st.integers(10, 1900),
    width_mm=st.integers(10, 900),
    height_mm=st.integers(10, 900),
)
destinations = st.builds(
    Destination,
    country=st.sampled_from(["DE", "AT", "FR", "US"]),
    postcode=st.sampled_from(["10115", "18565", "25938", "75001", ""]),
)
days = st.none() | st.dates(date(2026, 12, 1), date(2026, 12, 20))
requests = st.builds(
    ShippingRequest, level=st.sampled_from(list(ServiceLevel)), ship_by=days, deliver_by=days
)
times = st.datetimes(datetime(2026, 11, 30), datetime(2026, 12, 14))
preferences = st.lists(
    st.sampled_from(["post", "courier", "post/express", "courier/next_day", "post/parcel"]), max_size=3
)


def breaks_a_hard_rule(c: Candidate, parcel: Parcel, request: ShippingRequest) -> bool:
    """An independent restatement of the hard rules from what the candidate reports."""
    sheet = next(s for s in SHEETS if s.carrier == c.carrier)
    service = next(s for s in sheet.services if s.code == c.service)
    sides_ok = all(a <= b for a, b in zip(parcel.sides_mm, service.max_sides_mm, strict=True))
    return (
        c.price is None
        or service.level < request.level
        or parcel.weight_g > service.max_weight_g
        or not sides_ok
        or (request.ship_by is not None and c.ship_date > request.ship_by)
        or (request.deliver_by is not None and (c.arrival is None or c.arrival > request.deliver_by))
    )


@settings(max_examples=400, deadline=timedelta(seconds=1))
@given(parcels, destinations, requests, times, preferences)
def test_the_chosen_breaks_no_rule_and_nothing_cheaper_is_eligible(
    parcel: Parcel, destination: Destination, request: ShippingRequest, now: datetime, preference: list[str]
) -> None:
    choice = choose(parcel, destination, request, now, SHEETS, preference)
    eligible = [c for c in choice.candidates if c.eligible]
    for c in choice.candidates:
        assert c.eligible == (not breaks_a_hard_rule(c, parcel, request))
        assert (c is choice.chosen) == (not c.reasons)
    if choice.chosen is None:
        assert not eligible
        return
    best = choice.chosen
    assert best.eligible and best.price is not None
    for c in eligible:
        assert c.price is not None and c.price >= best.price
        if c.price == best.price and c is not best:
            assert c.reasons[0].startswith("not preferred")
        elif c is not best:
            assert c.reasons == (f"dearer than {best.key} by {c.price - best.price}",)
