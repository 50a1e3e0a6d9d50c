"""A live carrier through a real karrio plugin, offline: karrio's own generic plugin stands in for a
carrier's (same gateway, same calls), so rate, ship and the error paths run without a network; the
credential never appears in a log line, a repr or an error."""

from __future__ import annotations

import logging

import pytest

from app.carriers.config import parse_carriers
from app.carriers.live import LiveCarrier
from app.carriers.port import Address, CarrierError, ShipRequest
from app.carriers.registry import build_carriers
from app.domain.shipping.sheets import Destination, Parcel
from tests.unit.carriers.test_config import live

SECRET = "acct-s3cr3t-0815"
HOME = Address("Aisle Warehouse", ("Lagerstr. 1",), "Berlin", "10115", "DE")
ANNA = Address("Anna Muster", ("Hauptstr. 5",), "München", "80331", "DE")


def carrier() -> LiveCarrier:
    config = parse_carriers(live(), "carriers.toml", {"AISLE_PARCELCO_ACCOUNT": SECRET})
    built = build_carriers(config, HOME, lambda c, s: "unused")
    assert type(built["post"]).__name__ == "GenericCarrier"
    parcelco = built["parcelco"]
    assert isinstance(parcelco, LiveCarrier)
    return parcelco


def test_rate_and_ship_through_the_plugin_and_the_secret_never_shows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    parcelco = carrier()
    with caplog.at_level(logging.DEBUG):
        rates = parcelco.rate(Parcel(1500, 300, 200, 100), Destination("DE", "80331"))
        shipped = parcelco.ship(
            ShipRequest("standard_service", Parcel(1500, 300, 200, 100), HOME, ANNA, "ORD-7")
        )
    assert [(r.carrier, r.service) for r in rates] == [
        ("parcelco", "standard_service")
    ]  # the plugin's default
    assert shipped.tracking_number and shipped.label  # karrio's generic label, printed as is
    assert shipped.label_format == "ZPL"
    assert any(r.name.startswith("karrio") for r in caplog.records)  # karrio did log, through logging
    assert SECRET not in caplog.text
    assert SECRET not in repr(parcelco) and SECRET not in str(vars(parcelco)["_account"])


def test_an_operation_the_plugin_lacks_is_a_carrier_error_naming_it() -> None:
    parcelco = carrier()
    with pytest.raises(CarrierError, match="parcelco: void failed") as info:
        parcelco.void("1234")
    assert SECRET not in str(info.value)


def test_a_plugin_karrio_cannot_set_up_is_a_carrier_error() -> None:
    config = parse_carriers(live(settings={}), "carriers.toml", {"AISLE_PARCELCO_ACCOUNT": SECRET})
    parcelco = LiveCarrier(config.account("parcelco"), HOME)  # generic needs display_name: set-up fails
    with pytest.raises(CarrierError, match="parcelco: cannot set up karrio plugin") as info:
        parcelco.rate(Parcel(1500, 300, 200, 100), Destination("DE", "80331"))
    assert SECRET not in str(info.value)
