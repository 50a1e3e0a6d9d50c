"""What a parcel label says: `LabelData` (addresses, carrier, parcel n of N, identifiers), validated on
creation.

Both renderers (`app.labels.zpl`, `app.labels.pdf`) take the same `LabelData`, so the thermal and the office
label say the same thing. The GS1 element strings the barcodes carry are built here (`gs1.py` has the AI
rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.labels.errors import LabelDataError
from app.labels.gs1 import country_numeric, routing_element, sscc_check_digit

__all__ = ["MAX_ADDRESS_LINES", "Address", "LabelData", "LabelDataError", "sample_label"]

#: street lines an address may have: what the 4x6 in layout has room for
MAX_ADDRESS_LINES = 3


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as printed: name, street lines, city, postcode and ISO 3166 alpha-2 country."""

    name: str
    lines: tuple[str, ...]
    city: str
    postcode: str
    country: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise LabelDataError("an address needs a name")
        if len(self.lines) > MAX_ADDRESS_LINES:
            raise LabelDataError(
                f"an address has at most {MAX_ADDRESS_LINES} street lines (the label's room)"
            )
        if len(self.country) != 2 or not self.country.isalpha() or not self.country.isupper():
            raise LabelDataError(f"country {self.country!r} is not an ISO 3166 alpha-2 code such as GB")


@dataclass(frozen=True, slots=True)
class LabelData:
    """One parcel's label.

    `sscc` is the 18-digit SSCC (check digit included) the GS1-128 barcode carries after AI (00). The routing
    barcode carries the ship-to postcode: AI 420 (postcode alone) when the parcel stays in `origin_country`
    (the ship-from country unless given), else AI 421 (ISO 3166 numeric country code + postcode).
    """

    ship_from: Address
    ship_to: Address
    carrier: str
    service: str
    weight_g: int
    parcel_number: int
    parcel_count: int
    order_reference: str
    tracking_number: str
    sscc: str
    origin_country: str = field(default="")

    def __post_init__(self) -> None:
        if not (len(self.sscc) == 18 and self.sscc.isdigit()):
            raise LabelDataError(f"SSCC {self.sscc!r} is not 18 digits")
        if sscc_check_digit(self.sscc[:17]) != self.sscc[17]:
            raise LabelDataError(f"SSCC {self.sscc} has a wrong check digit")
        if not 1 <= self.parcel_number <= self.parcel_count:
            raise LabelDataError(f"parcel {self.parcel_number} of {self.parcel_count} is not possible")
        if self.weight_g <= 0:
            raise LabelDataError(f"weight {self.weight_g} g is not positive")
        if (
            not self.tracking_number
            or not self.tracking_number.isascii()
            or not self.tracking_number.isprintable()
        ):
            raise LabelDataError(f"tracking number {self.tracking_number!r} is not printable ASCII")
        country_numeric(self.ship_to.country)  # an unknown destination stops here, not at print time
        routing_element(self.ship_to.postcode, self.ship_to.country, self.origin)

    @property
    def origin(self) -> str:
        """The country the parcel leaves from (decides AI 420 or 421)."""
        return self.origin_country or self.ship_from.country

    @property
    def sscc_element(self) -> str:
        """The GS1 element string of the SSCC barcode: ``00`` + the 18 digits."""
        return "00" + self.sscc

    @property
    def sscc_text(self) -> str:
        """The SSCC's human-readable line: ``(00) 012345600000000012``."""
        return f"(00) {self.sscc}"

    @property
    def routing_element(self) -> str:
        """The postcode barcode's element string: ``420`` + postcode, or ``421`` + country + postcode."""
        return routing_element(self.ship_to.postcode, self.ship_to.country, self.origin)

    @property
    def routing_text(self) -> str:
        """The routing barcode's human-readable line, AI in brackets: ``(421) 276 10115``."""
        element = self.routing_element
        return (
            f"({element[:3]}) {element[3:6]} {element[6:]}"
            if element[:3] == "421"
            else f"(420) {element[3:]}"
        )

    @property
    def parcel_text(self) -> str:
        """``parcel 2 of 3``."""
        return f"parcel {self.parcel_number} of {self.parcel_count}"

    @property
    def weight_text(self) -> str:
        """The weight in kilograms with two decimals: ``1.25 kg``."""
        return f"{self.weight_g / 1000:.2f} kg"


def sample_label() -> LabelData:
    """A label with every field filled, for `check_templates` and tests: a cross-border parcel (AI 421)."""
    return LabelData(
        ship_from=Address("Aisle Demo Warehouse", ("Unit 4, Dock Road",), "Leeds", "LS1 4AB", "GB"),
        ship_to=Address("Jana Müller", ("Hauptstraße 5", "2. OG"), "Berlin", "10115", "DE"),
        carrier="Demo Express",
        service="EXPRESS",
        weight_g=1250,
        parcel_number=2,
        parcel_count=3,
        order_reference="ORD-1234",
        tracking_number="1Z999AA10123456784",
        sscc="012345600000000012",
    )
