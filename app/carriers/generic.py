"""A generic (local) carrier: karrio-generic rates Aisle's rate sheet; numbers and labels are Aisle's own.

No network, no account. `rate` goes through karrio's generic plugin: the sheet's services for the
destination's zone become karrio service levels (one karrio zone per weight band), and karrio matches the
band, the size limits and the transit days. Two things are decided here first, as the domain does: the zone
(karrio matches whole postcodes, the sheet matches prefixes: the longest wins) and the max weight, which
applies to the actual weight while karrio is given the chargeable one to price. karrio weighs in steps of
0.01 kg (`karrio_models.kilograms` rounds up to them) and its bands are [min, max); a sheet band covers "up
to and including" a multiple of 10 g, so each becomes [previous + 10 g, limit + 10 g) in kg.

`ship` takes no karrio call: the tracking number comes from `next_tracking` (the number blocks), the label is
rendered by Aisle (app/labels), so sealing a generic parcel never loads karrio.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.carriers import karrio_models
from app.carriers.config import Account
from app.carriers.karrio_loader import load_karrio, off_event_loop
from app.carriers.port import CarrierError, CarrierManifest, Rate, Shipped, ShipRequest, Tracking, Voided
from app.domain.shipping.sheets import Destination, Parcel, RateSheet, Service

NextTracking = Callable[[str, str], str]
"""(carrier code, service code) -> a tracking number never issued before."""


class GenericCarrier:
    """The `Carrier` port for a generic account."""

    def __init__(self, account: Account, origin_country: str, next_tracking: NextTracking) -> None:
        if account.sheet is None:
            raise ValueError(f"generic carrier {account.code} has no rate sheet")
        self._account = account
        self._sheet: RateSheet = account.sheet
        self._origin = origin_country
        self._next_tracking = next_tracking

    def __repr__(self) -> str:
        return f"GenericCarrier({self._account.code!r})"

    @property
    def code(self) -> str:
        """The account's code."""
        return self._account.code

    def rate(self, parcel: Parcel, destination: Destination) -> list[Rate]:
        """karrio-generic's prices for each service that takes `parcel` to `destination`."""
        zone = self._sheet.zone_for(destination)
        if zone is None:
            return []
        country, postcode = destination.key
        levels = [
            self._service_level(service, zone.code, country)
            for service in self._sheet.services
            if zone.code in service.prices and parcel.weight_g <= service.max_weight_g
        ]
        if not levels:
            return []
        sdk = load_karrio()
        m = karrio_models.models()
        gateway = sdk.gateway["generic"].create(
            {
                "display_name": self._account.name,
                "custom_carrier_name": self.code,
                "carrier_id": self.code,
                "account_country_code": self._origin,
                "services": levels,
            }
        )
        request = m.RateRequest(
            shipper=m.Address(country_code=self._origin),
            recipient=m.Address(country_code=country, postal_code=postcode or None),
            parcels=[karrio_models.parcel(parcel, parcel.chargeable_g(self._sheet.dim_divisor))],
            services=[],
        )
        details, messages = off_event_loop(lambda: sdk.Rating.fetch(request).from_(gateway).parse())
        karrio_models.raise_for(self.code, "rate", messages, fatal_codes=("SHIPPING_SDK",))
        return karrio_models.rates(self.code, details)

    def _service_level(self, service: Service, zone: str, country: str) -> Any:
        m = karrio_models.models()
        price = service.prices[zone]
        low, bands = 0.0, []
        for band in price.bands:
            high = round(band.up_to_g / 1000 + 0.01, 2)
            bands.append(
                m.ServiceZone(
                    label=zone,
                    rate=float(band.price),
                    min_weight=low,
                    max_weight=high,
                    transit_days=price.transit_days,
                    country_codes=[country],
                )
            )
            low = high
        length, width, height = (side / 10 for side in service.max_sides_mm)
        return m.ServiceLevel(
            service_name=service.name,
            service_code=service.code,
            currency=self._sheet.currency,
            weight_unit="KG",
            dimension_unit="CM",
            max_length=length,
            max_width=width,
            max_height=height,
            transit_days=price.transit_days,
            zones=bands,
        )

    def ship(self, request: ShipRequest) -> Shipped:
        """A tracking number from the blocks; the label is Aisle's (`label` None)."""
        service = next((s for s in self._sheet.services if s.code == request.service), None)
        if service is None:
            raise CarrierError(f"{self.code}: no service {request.service!r}")
        destination = Destination(request.ship_to.country, request.ship_to.postcode)
        zone = self._sheet.zone_for(destination)
        if zone is None or zone.code not in service.prices:
            country, postcode = destination.key
            raise CarrierError(f"{self.code}: service {service.code} does not go to {country} {postcode}")
        return Shipped(self.code, service.code, self._next_tracking(self.code, service.code))

    def void(self, tracking_number: str) -> Voided:
        """Nothing to cancel outside Aisle (the number stays dead in Aisle's blocks)."""
        return Voided(tracking_number, at_carrier=False)

    def track(self, tracking_number: str) -> Tracking:
        """A generic carrier has no tracking feed."""
        return Tracking(tracking_number, available=False, status="no tracking for a generic carrier")

    def manifest(self, tracking_numbers: Sequence[str]) -> CarrierManifest:
        """No carrier document: Aisle's own manifest is the one handed to the driver."""
        return CarrierManifest(self.code, tuple(tracking_numbers))
