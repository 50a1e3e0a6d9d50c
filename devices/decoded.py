"""What a barcode decoder reports, shared by `devices.decoders` and its backends (`decode_zxing`,
`decode_zbar`): symbology names, AIM identifiers, the `Decoded` read and the small naming rules.

The backends import this module, never `devices.decoders`, so that front imports them without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.gtin import is_gtin

#: symbology names as written in config.toml [camera] symbologies
SYMBOLOGIES = (
    "ean13",
    "ean8",
    "upca",
    "upce",
    "code128",
    "gs1-128",
    "itf",
    "itf-14",
    "databar",
    "databar-expanded",
    "qrcode",
    "gs1-qrcode",
    "datamatrix",
    "gs1-datamatrix",
)
#: what a camera reads unless told otherwise: all but ITF of any length (partial reads of cluttered scenes)
DEFAULT_SYMBOLOGIES = tuple(s for s in SYMBOLOGIES if s != "itf")
#: the AIM identifier each symbology is reported with when a backend does not say
AIM_IDS = {
    "ean13": "]E0",
    "upca": "]E0",
    "upce": "]E0",
    "ean8": "]E4",
    "code128": "]C0",
    "gs1-128": "]C1",
    "itf": "]I0",
    "itf-14": "]I1",
    "databar": "]e0",
    "databar-expanded": "]e0",
    "qrcode": "]Q1",
    "gs1-qrcode": "]Q3",
    "datamatrix": "]d1",
    "gs1-datamatrix": "]d2",
}


class DecoderError(ValueError):
    """A decoder setting is wrong (unknown backend or symbology, not installed); the message says which."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """One barcode found in a frame.

    `text` keeps GS (0x1D) separators; `raw` is the decoded byte content; `position` lists the corner points
    (x, y) in the coordinates of the frame given to `decode`.
    """

    text: str
    raw: bytes
    symbology: str
    aim: str | None
    gs1: bool
    position: tuple[tuple[int, int], ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        """What makes two reads the same code: symbology and text."""
        return (self.symbology, self.text)


@dataclass(frozen=True, slots=True)
class ZxingTuning:
    """zxing-cpp reader options that trade robustness for speed (see the camera bench)."""

    try_rotate: bool = False
    """Also look for codes turned by 90°/270° (1D codes on a label held sideways)."""
    try_downscale: bool = True
    """Also scan downscaled copies of the frame (helps large codes, costs time)."""
    try_invert: bool = False
    """Also look for light-on-dark codes."""
    binarizer: str = "LocalAverage"
    """LocalAverage, GlobalHistogram, FixedThreshold or BoolCast."""


def check_symbologies(symbologies: Iterable[str]) -> tuple[str, ...]:
    """Return the symbologies as a tuple, or raise DecoderError naming an unknown one."""
    names = tuple(dict.fromkeys(s.strip().lower() for s in symbologies))
    for name in names:
        if name not in SYMBOLOGIES:
            raise DecoderError(f"unknown symbology {name!r}; known: {', '.join(SYMBOLOGIES)}")
    return names


def accepted(symbology: str, wanted: tuple[str, ...]) -> bool:
    """Whether a read of `symbology` is wanted.

    A UPC-A is an EAN-13 with a leading 0: ``ean13`` admits it. An ITF-14 is an ITF: ``itf`` admits it, while
    ``itf-14`` alone ignores ITF of other lengths (partial reads of a case code, or noise).
    """
    return (
        symbology in wanted
        or (symbology == "upca" and "ean13" in wanted)
        or (symbology == "itf-14" and "itf" in wanted)
    )


def itf_symbology(text: str) -> str:
    """``itf-14`` for an ITF holding a GTIN-14 (14 digits, valid check digit), the case code; else ``itf``."""
    return "itf-14" if len(text) == 14 and is_gtin(text) else "itf"


def ean_symbology(text: str, reported: str) -> str:
    """Name an EAN/UPC read the same way whatever the backend: a 13-digit EAN starting with 0 is a UPC-A."""
    if reported == "ean13" and len(text) == 13 and text.startswith("0"):
        return "upca"
    return reported


def show_gs(text: str) -> str:
    """Text for people: the invisible GS separator written as ``<GS>``, other control characters escaped."""
    out = []
    for ch in text:
        if ch == "\x1d":
            out.append("<GS>")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)
