"""A live carrier: a karrio plugin (karrio-ups, karrio-dhl-express, …) with credentials from the environment.

The gateway is built on first use, so karrio loads then and not at start-up. The credential values go to
karrio's settings and nowhere else: they are registered with the log redaction first, and neither this
object's repr nor an error message shows them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any

from app.carriers import karrio_models
from app.carriers.config import Account
from app.carriers.karrio_loader import load_karrio, off_event_loop, redact, register_secret
from app.carriers.port import (
    Address,
    CarrierError,
    CarrierManifest,
    Rate,
    Shipped,
    ShipRequest,
    Tracking,
    TrackingEvent,
    Voided,
)
from app.domain.shipping.sheets import Destination, Parcel


def _document(text: str | None) -> bytes | None:
    """A karrio document (base64, or ZPL as plain text) as bytes."""
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode()


class LiveCarrier:
    """The `Carrier` port for a live account."""

    def __init__(self, account: Account, ship_from: Address) -> None:
        self._account = account
        self._ship_from = ship_from
        self._gateway: Any = None

    def __repr__(self) -> str:
        return f"LiveCarrier({self._account.code!r}, plugin={self._account.plugin!r})"

    @property
    def code(self) -> str:
        """The account's code."""
        return self._account.code

    def _sdk_gateway(self) -> tuple[Any, Any]:
        sdk = load_karrio()
        if self._gateway is None:
            secrets = {key: s.reveal() for key, s in self._account.credentials.items()}
            for value in secrets.values():
                register_secret(value)
            settings = {"carrier_id": self.code, **self._account.settings, **secrets}
            try:
                self._gateway = sdk.gateway[self._account.plugin].create(settings)
            except Exception as exc:  # karrio wraps every set-up failure in ShippingSDKError
                cause = exc.__cause__ or exc
                raise CarrierError(
                    f"{self.code}: cannot set up karrio plugin: {redact(str(cause))}"
                ) from None
        return sdk, self._gateway

    def _call(self, operation: str, run: Callable[[Any, Any], Any]) -> Any:
        sdk, gateway = self._sdk_gateway()
        try:
            result, messages = off_event_loop(lambda: run(sdk, gateway))
        except CarrierError:
            raise
        except Exception as exc:
            raise CarrierError(f"{self.code}: {operation} failed: {redact(str(exc))}") from None
        karrio_models.raise_for(self.code, operation, messages if result is None or not result else [])
        if result is None:
            raise CarrierError(f"{self.code}: {operation} failed: no answer from the carrier")
        return result

    def rate(self, parcel: Parcel, destination: Destination) -> list[Rate]:
        """The carrier's own prices (a network call)."""
        country, postcode = destination.key
        m = karrio_models.models()
        request = m.RateRequest(
            shipper=karrio_models.address(self._ship_from),
            recipient=m.Address(country_code=country, postal_code=postcode or None),
            parcels=[karrio_models.parcel(parcel)],
            services=[],
        )
        details = self._call("rate", lambda sdk, gw: sdk.Rating.fetch(request).from_(gw).parse())
        return karrio_models.rates(self.code, details)

    def ship(self, request: ShipRequest) -> Shipped:
        """Book the parcel; the carrier's tracking number and label."""
        m = karrio_models.models()
        payload = m.ShipmentRequest(
            service=request.service,
            shipper=karrio_models.address(request.ship_from),
            recipient=karrio_models.address(request.ship_to),
            parcels=[karrio_models.parcel(request.parcel)],
            reference=request.reference,
            label_type=request.label_format,
        )
        details = self._call("ship", lambda sdk, gw: sdk.Shipment.create(payload).from_(gw).parse())
        label_type = str(details.label_type or request.label_format)
        return Shipped(
            self.code,
            request.service,
            str(details.tracking_number),
            _document(details.docs.label),
            label_type,
        )

    def void(self, tracking_number: str) -> Voided:
        """Cancel the shipment at the carrier."""
        m = karrio_models.models()
        payload = m.ShipmentCancelRequest(shipment_identifier=tracking_number)
        done = self._call("void", lambda sdk, gw: sdk.Shipment.cancel(payload).from_(gw).parse())
        if not done.success:
            raise CarrierError(f"{self.code}: void of {tracking_number} was refused")
        return Voided(tracking_number, at_carrier=True)

    def track(self, tracking_number: str) -> Tracking:
        """The carrier's tracking events for one parcel."""
        m = karrio_models.models()
        payload = m.TrackingRequest(tracking_numbers=[tracking_number])
        found = self._call("track", lambda sdk, gw: sdk.Tracking.fetch(payload).from_(gw).parse())
        if not found:
            return Tracking(tracking_number, available=False, status="unknown to the carrier")
        detail = found[0]
        events = tuple(
            TrackingEvent(
                " ".join(filter(None, (e.date, e.time))), str(e.description or ""), str(e.location or "")
            )
            for e in detail.events or ()
        )
        return Tracking(tracking_number, True, str(detail.status or ""), events)

    def manifest(self, tracking_numbers: Sequence[str]) -> CarrierManifest:
        """The carrier's manifest call, for carriers that have one (others: CarrierError says so)."""
        m = karrio_models.models()
        payload = m.ManifestRequest(
            shipment_identifiers=list(tracking_numbers), address=karrio_models.address(self._ship_from)
        )
        details = self._call("manifest", lambda sdk, gw: sdk.Manifest.create(payload).from_(gw).parse())
        return CarrierManifest(
            self.code,
            tuple(tracking_numbers),
            _document(details.doc.manifest if details.doc else None),
            str(details.id or ""),
        )
