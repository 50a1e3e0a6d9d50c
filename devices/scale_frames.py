"""What bench scales send, as pure functions: NCI replies, continuous-output lines, units to grams.

Nothing here touches a port. A frame becomes a `ScaleReading` (a number and whether the scale calls it stable)
or an `IgnoredFrame` that says why it was not a reading; garbage never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GRAMS_PER_UNIT = {
    "g": Decimal(1),
    "kg": Decimal(1000),
    "lb": Decimal("453.59237"),
    "lbs": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}

NCI_REQUEST = b"W\r"
"""NCI general-purpose protocol: ask for the displayed weight, its unit and the status bytes."""
NCI_END = b"\x03"
"""Every NCI reply ends with ETX."""


@dataclass(frozen=True, slots=True)
class ScaleReading:
    """One reading: `grams` (None when the scale shows no number, e.g. overload); only `stable` ones count."""

    grams: int | None
    stable: bool
    detail: str = ""  # why it is not stable: "in motion", "over capacity", …


@dataclass(frozen=True, slots=True)
class IgnoredFrame:
    """Bytes that were not a reading, and why (shown in logs, never to the packer)."""

    raw: bytes
    reason: str


Parsed = ScaleReading | IgnoredFrame

_NUMBER = re.compile(r"^([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]+)$")


def to_grams(value: Decimal, unit: str) -> int:
    """`value` in `unit` (g, kg, lb, oz; any case) as whole grams, rounded half up; ValueError for others."""
    factor = GRAMS_PER_UNIT.get(unit.lower())
    if factor is None:
        raise ValueError(f"unknown unit {unit!r}")
    return int((value * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_weight(text: str) -> int | str:
    """``-  1.234kg`` → grams; or the reason it is not a weight."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return f"not a weight: {text.strip()!r}"
    sign, number, unit = match.groups()
    try:
        grams = to_grams(Decimal(number), unit)
    except (ValueError, InvalidOperation) as exc:
        return str(exc)
    return -grams if sign == "-" else grams


# --- NCI / Avery Weigh-Tronix general-purpose protocol -------------------------------------------------
#
# Request ``W<CR>``; reply ``<LF>xxxx.xxuu<CR><LF>hh<CR><ETX>`` (weight, unit, two or three status bytes).
# Each status byte carries flags in bits 0-3, bits 4 and 5 are always set (so they print as '0'-'?'), bit 6
# says another status byte follows, bit 7 may be parity. Byte 1: motion, at zero, RAM error, EEPROM error.
# Byte 2: under capacity, over capacity, ROM error, faulty calibration. An unknown command gets ``?``.

_NCI_FLAGS = (
    ("in motion", None, "RAM error", "EEPROM error"),
    ("under capacity", "over capacity", "ROM error", "faulty calibration"),
)


def nci_status(status: bytes) -> list[str] | str:
    """What the status bytes say is wrong (empty when all is well; 'at zero' is fine), or why they are not."""
    if not 2 <= len(status) <= 3 or any((b & 0x30) != 0x30 for b in status):
        return f"not NCI status bytes: {status!r}"
    problems: list[str] = []
    for byte, flags in zip(status, _NCI_FLAGS, strict=False):
        problems += [name for bit, name in enumerate(flags) if name and byte & (1 << bit)]
    return problems


def parse_nci_reply(frame: bytes) -> Parsed:
    """One NCI reply (up to, not including, ETX) → a reading, or why it is ignored."""
    fields = [f for f in re.split(rb"[\r\n]+", frame) if f.strip()]
    if not fields:
        return IgnoredFrame(frame, "empty reply")
    if fields[0].strip() == b"?":
        return IgnoredFrame(frame, "the scale did not understand the request (check protocol=)")
    status = nci_status(bytes(b & 0x7F for b in fields[-1].strip()))
    if isinstance(status, str):
        return IgnoredFrame(frame, f"incomplete reply ({status})")
    if len(fields) == 1:  # status only: the scale shows no number (overload, underload, error)
        return ScaleReading(None, False, ", ".join(status) or "no weight in the reply")
    try:
        weight = parse_weight(fields[0].decode("ascii"))
    except UnicodeDecodeError:
        return IgnoredFrame(frame, "noise: not ASCII")
    if isinstance(weight, str):
        if status:  # e.g. dashes on the display while over capacity
            return ScaleReading(None, False, ", ".join(status))
        return IgnoredFrame(frame, weight)
    return ScaleReading(weight, not status, ", ".join(status))


# --- continuous output (Ohaus, A&D, Mettler-style print streams) ----------------------------------------

_HEADERS = {"ST": (True, ""), "US": (False, "in motion"), "OL": (False, "over capacity"), "QT": (True, "")}
_MTSICS = {"S": (True, ""), "D": (False, "in motion")}


def parse_continuous_line(line: bytes) -> Parsed:
    """One streamed line (without its CR/LF) → a reading, or why it is ignored.

    Understands ``ST,GS,+0001.234kg`` (ST stable, US unstable, OL overload; GS/NT/TR gross/net/tare),
    MT-SICS ``S S     1.234 kg`` / ``S D …`` / ``S +`` / ``S -``, and a bare ``  1234 g`` (stable unless it is
    marked with ``?``, as Ohaus scales mark an unstable weight).
    """
    try:
        text = line.decode("ascii").strip()
    except UnicodeDecodeError:
        return IgnoredFrame(line, "noise: not ASCII")
    if not text:
        return IgnoredFrame(line, "empty line")
    stable, detail = True, ""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and parts[0].upper() in _HEADERS:
        stable, detail = _HEADERS[parts[0].upper()]
        body = parts[-1]
        if detail == "over capacity":
            return ScaleReading(None, False, detail)
    elif text.startswith("S "):  # MT-SICS answer to S or SI
        words = text.split(None, 2)
        if len(words) == 2 and words[1] in ("+", "-"):
            return ScaleReading(None, False, "over capacity" if words[1] == "+" else "under capacity")
        if len(words) < 3 or words[1] not in _MTSICS:
            return IgnoredFrame(line, f"scale busy or error: {text!r}")
        stable, detail = _MTSICS[words[1]]
        body = words[2]
    else:
        body = text
        if body.endswith("?"):
            stable, detail, body = False, "in motion", body[:-1]
    weight = parse_weight(body)
    if isinstance(weight, str):
        return IgnoredFrame(line, weight)
    return ScaleReading(weight, stable, detail)
