"""Parcel identifiers: the number schemes and their check digits (SSCC-18 and tracking numbers).

Every scheme turns a serial number (an int from a configured range) into its printed text with `issue`, tells
whether a text is well formed with `is_valid`, and gives the serial back with `serial_of`. Ranges and blocks
decide *which* serials are used (the server, app/server/shipping); a scheme only formats and checks.

What each check digit catches (tests/unit/domain/shipping prove each claim):

- **GS1 mod-10** (SSCC-18 and `Mod10Scheme`; weights 3,1,3,1… from the right): every single-digit error; an
  adjacent transposition unless the two digits differ by 5 (0↔5, 1↔6 …). Chosen over Luhn for plain numeric
  numbers so one rule covers SSCCs and tracking numbers alike.
- **UPS 1Z** (`UpsScheme`): the 15 characters after "1Z" are turned into digits (a digit is itself, a letter
  is (ord - ord("A") + 2) % 10, as UPS does), then sum(odd positions) + 2 × sum(even positions), mod 10. It
  catches every single change in an odd position, and in an even position every one except a change by 5
  (weight 2); letters that map to the same digit (A, K, U …) cannot be told apart.
- **UPU S10 mod-11** (`S10Scheme`; weights 8,6,4,2,3,5,9,7; check 11 - sum % 11, 10 → 0, 11 → 5): every
  single-digit error of the serial except one that moves the sum's remainder between 0 and 6 (both give 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.domain.gtin import check_digit as gs1_check_digit


class NumberScheme(Protocol):
    """How serials of one range become printed identifiers."""

    @property
    def capacity(self) -> int:
        """Serials 0 … capacity - 1 can be issued."""

    def issue(self, number: int) -> str:
        """The identifier for serial `number` (ValueError outside 0 … capacity - 1)."""

    def is_valid(self, text: str) -> bool:
        """True when `text` is a well-formed identifier of this kind with a correct check digit."""

    def serial_of(self, text: str) -> int:
        """The serial `text` was issued from (ValueError when it is not one of this scheme's identifiers)."""


def gs1_mod10_valid(digits: str) -> bool:
    """True when the last digit of `digits` is the GS1 mod-10 check digit of the others."""
    return (
        len(digits) >= 2
        and digits.isascii()
        and digits.isdigit()
        and (gs1_check_digit(digits[:-1]) == int(digits[-1]))
    )


def _check_range(number: int, capacity: int) -> None:
    if not 0 <= number < capacity:
        raise ValueError(f"serial {number} is outside 0 … {capacity - 1}")


@dataclass(frozen=True)
class SsccScheme:
    """SSCC-18 (GS1 General Specifications 2.2.1): extension digit + GS1 company prefix + serial reference,
    17 digits together, + GS1 mod-10 check digit. The serial reference has 16 - len(prefix) digits."""

    company_prefix: str
    extension_digit: int = 0

    def __post_init__(self) -> None:
        p = self.company_prefix
        if not (p.isascii() and p.isdigit() and 7 <= len(p) <= 11):
            raise ValueError(f"a GS1 company prefix has 7 to 11 digits, got {p!r}")
        if not 0 <= self.extension_digit <= 9:
            raise ValueError(f"the SSCC extension digit is 0 to 9, got {self.extension_digit}")

    @property
    def serial_digits(self) -> int:
        """Digits of the serial reference for this prefix."""
        return 16 - len(self.company_prefix)

    @property
    def capacity(self) -> int:
        return int(10**self.serial_digits)

    def issue(self, number: int) -> str:
        _check_range(number, self.capacity)
        body = f"{self.extension_digit}{self.company_prefix}{number:0{self.serial_digits}d}"
        return body + str(gs1_check_digit(body))

    def is_valid(self, text: str) -> bool:
        return len(text) == 18 and gs1_mod10_valid(text)

    def serial_of(self, text: str) -> int:
        head = f"{self.extension_digit}{self.company_prefix}"
        if not (self.is_valid(text) and text.startswith(head)):
            raise ValueError(
                f"{text!r} is not an SSCC of extension {self.extension_digit}, prefix {head[1:]}"
            )
        return int(text[len(head) : 17])

    def hri(self, sscc: str) -> str:
        """The human-readable text under the barcode: '(00) 3 0614141 123456789 0'."""
        return format_sscc_hri(sscc, len(self.company_prefix))


def format_sscc_hri(sscc: str, prefix_length: int) -> str:
    """'(00) E PREFIX SERIAL C' for an 18-digit SSCC whose company prefix has `prefix_length` digits."""
    if len(sscc) != 18 or not sscc.isdigit() or not 7 <= prefix_length <= 11:
        raise ValueError(f"not an SSCC-18 with a 7-11 digit prefix: {sscc!r}, {prefix_length}")
    cut = 1 + prefix_length
    return f"(00) {sscc[0]} {sscc[1:cut]} {sscc[cut:17]} {sscc[17]}"
