"""GTIN arithmetic: the GS1 mod-10 check digit, GTIN-8/12/13/14 validation and normalisation.

Every GTIN is compared in its 14-digit form, so UPC-A 036000291452, EAN-13 0036000291452 and
GTIN-14 00036000291452 are the same product.
"""

from __future__ import annotations

from app.domain.errors import InvalidBarcode

GTIN_LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


def check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for `body` (the digits without the check digit)."""
    if not body.isdigit():
        raise ValueError(f"GTIN body must be digits, got {body!r}")
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    """`body` followed by its check digit."""
    return body + str(check_digit(body))


def gtin_problem(code: str) -> str | None:
    """None when `code` is a valid GTIN-8/12/13/14, else the reason it is not (for operators)."""
    if not code.isdigit():
        return "a GTIN has digits only"
    kind = GTIN_LENGTHS.get(len(code))
    if kind is None:
        return f"a GTIN has 8, 12, 13 or 14 digits, this has {len(code)}"
    if check_digit(code[:-1]) != int(code[-1]):
        return f"{kind} check digit is wrong (expected {check_digit(code[:-1])}, got {code[-1]})"
    return None


def is_gtin(code: str) -> bool:
    """True when `code` is a valid GTIN of any length."""
    return gtin_problem(code) is None


def normalize_gtin(code: str) -> str:
    """The 14-digit form of a valid GTIN; raises InvalidBarcode with the reason otherwise."""
    problem = gtin_problem(code)
    if problem:
        raise InvalidBarcode(f"{code}: {problem}")
    return code.zfill(14)


def upce_to_upca(upce: str) -> str:
    """Expand an 8-digit UPC-E (number system, 6 digits, check) to its 12-digit UPC-A."""
    if len(upce) != 8 or not upce.isdigit():
        raise InvalidBarcode(f"{upce}: a UPC-E has 8 digits")
    ns, d, check = upce[0], upce[1:7], upce[7]
    if ns not in "01":
        raise InvalidBarcode(f"{upce}: a UPC-E starts with 0 or 1")
    last = d[5]
    if last in "012":
        body = f"{ns}{d[0]}{d[1]}{last}0000{d[2]}{d[3]}{d[4]}"
    elif last == "3":
        body = f"{ns}{d[0]}{d[1]}{d[2]}00000{d[3]}{d[4]}"
    elif last == "4":
        body = f"{ns}{d[0]}{d[1]}{d[2]}{d[3]}00000{d[4]}"
    else:
        body = f"{ns}{d[0]}{d[1]}{d[2]}{d[3]}{d[4]}0000{last}"
    upca = body + check
    problem = gtin_problem(upca)
    if problem:
        raise InvalidBarcode(f"{upce}: UPC-E {problem.split(' ', 1)[1] if 'check' in problem else problem}")
    return upca
