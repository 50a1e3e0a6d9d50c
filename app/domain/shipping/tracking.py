"""Tracking-number schemes for generic (local) carriers: UPS-style 1Z, UPU S10 and plain numeric GS1 mod-10.

What each check digit catches is in app/domain/shipping/identifiers.py's docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.gtin import check_digit as gs1_check_digit
from app.domain.shipping.identifiers import gs1_mod10_valid

_UPS = re.compile(r"1Z[0-9A-Z]{6}[0-9]{2}[0-9]{7}[0-9]")
_S10 = re.compile(r"[A-Z]{2}[0-9]{9}[A-Z]{2}")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def _in_range(number: int, capacity: int) -> None:
    if not 0 <= number < capacity:
        raise ValueError(f"serial {number} is outside 0 … {capacity - 1}")


def ups_value(ch: str) -> int:
    """A 1Z character as UPS counts it: a digit is itself, a letter (ord - ord('A') + 2) % 10."""
    return int(ch) if ch.isdigit() else (ord(ch) - ord("A") + 2) % 10


def ups_check_digit(body: str) -> int:
    """The check digit of the 15 characters after '1Z': odd positions once, even positions twice, mod 10."""
    values = [ups_value(c) for c in body]
    total = sum(values[0::2]) + 2 * sum(values[1::2])
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class UpsScheme:
    """'1Z' + 6-character shipper + 2-digit service + 7-digit reference (the serial) + check digit."""

    shipper: str
    service: str = "01"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9A-Z]{6}", self.shipper):
            raise ValueError(f"a 1Z shipper number is 6 digits or capital letters, got {self.shipper!r}")
        if not re.fullmatch(r"[0-9]{2}", self.service):
            raise ValueError(f"a 1Z service code is 2 digits, got {self.service!r}")

    capacity = 10_000_000

    def issue(self, number: int) -> str:
        _in_range(number, self.capacity)
        body = f"{self.shipper}{self.service}{number:07d}"
        return f"1Z{body}{ups_check_digit(body)}"

    def is_valid(self, text: str) -> bool:
        return _UPS.fullmatch(text) is not None and ups_check_digit(text[2:17]) == int(text[17])

    def serial_of(self, text: str) -> int:
        if not (self.is_valid(text) and text[2:10] == self.shipper + self.service):
            raise ValueError(f"{text!r} is not a 1Z number of shipper {self.shipper}, service {self.service}")
        return int(text[10:17])


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of the 8 serial digits: 11 - weighted sum mod 11, where 10 → 0 and 11 → 5."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError(f"an S10 serial is 8 digits, got {serial!r}")
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


@dataclass(frozen=True)
class S10Scheme:
    """UPU S10: 2-letter service indicator + 8-digit serial + mod-11 check + ISO country ('RA123456785GB')."""

    service_indicator: str = "RA"
    country: str = "GB"

    def __post_init__(self) -> None:
        for what, value in (("service indicator", self.service_indicator), ("country", self.country)):
            if not re.fullmatch(r"[A-Z]{2}", value):
                raise ValueError(f"an S10 {what} is 2 capital letters, got {value!r}")

    capacity = 100_000_000

    def issue(self, number: int) -> str:
        _in_range(number, self.capacity)
        serial = f"{number:08d}"
        return f"{self.service_indicator}{serial}{s10_check_digit(serial)}{self.country}"

    def is_valid(self, text: str) -> bool:
        return _S10.fullmatch(text) is not None and s10_check_digit(text[2:10]) == int(text[10])

    def serial_of(self, text: str) -> int:
        if not (self.is_valid(text) and text[:2] == self.service_indicator and text[11:] == self.country):
            raise ValueError(f"{text!r} is not an S10 number {self.service_indicator}…{self.country}")
        return int(text[2:10])


@dataclass(frozen=True)
class Mod10Scheme:
    """Plain numeric: optional fixed prefix + zero-padded serial + GS1 mod-10 check digit, `digits` long."""

    digits: int = 12
    prefix: str = ""

    def __post_init__(self) -> None:
        if self.prefix and not (self.prefix.isascii() and self.prefix.isdigit()):
            raise ValueError(f"a numeric tracking prefix is digits, got {self.prefix!r}")
        if not 4 <= self.digits <= 30 or self.digits - len(self.prefix) < 2:
            raise ValueError(f"{self.digits} digits leave no room for a serial after prefix {self.prefix!r}")

    @property
    def capacity(self) -> int:
        return int(10 ** (self.digits - len(self.prefix) - 1))

    def issue(self, number: int) -> str:
        _in_range(number, self.capacity)
        body = f"{self.prefix}{number:0{self.digits - len(self.prefix) - 1}d}"
        return body + str(gs1_check_digit(body))

    def is_valid(self, text: str) -> bool:
        return len(text) == self.digits and gs1_mod10_valid(text)

    def serial_of(self, text: str) -> int:
        if not (self.is_valid(text) and text.startswith(self.prefix)):
            raise ValueError(f"{text!r} is not a {self.digits}-digit number with prefix {self.prefix!r}")
        return int(text[len(self.prefix) : -1])
