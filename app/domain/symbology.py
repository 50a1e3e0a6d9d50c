"""AIM symbology identifiers (ISO/IEC 15424): which barcode a scan came from and whether it carries GS1 data.

A scanner configured to send them puts ``]`` + a symbology letter + a modifier character in front of the data.
The same table serves serial framing, camera decoders and interpretation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AIM_PATTERN = re.compile(r"\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True, slots=True)
class Symbology:
    """What an AIM identifier says: a symbology name (as in config [camera] symbologies) and the GS1 flag."""

    name: str
    gs1: bool = False


# ]<letter><modifier> → symbology; the modifier tells GS1 (FNC1 in first position) from plain data.
_AIM: dict[str, Symbology] = {
    "]E0": Symbology("ean13"),
    "]E1": Symbology("ean-addon2"),
    "]E2": Symbology("ean-addon5"),
    "]E3": Symbology("ean13-addon"),
    "]E4": Symbology("ean8"),
    "]C0": Symbology("code128"),
    "]C1": Symbology("gs1-128", gs1=True),
    "]C2": Symbology("code128"),
    "]C4": Symbology("code128"),
    "]A0": Symbology("code39"),
    "]I0": Symbology("itf"),
    "]I1": Symbology("itf"),
    "]d0": Symbology("datamatrix"),
    "]d1": Symbology("datamatrix"),
    "]d2": Symbology("datamatrix", gs1=True),
    "]d3": Symbology("datamatrix"),
    "]d4": Symbology("datamatrix"),
    "]d5": Symbology("datamatrix", gs1=True),
    "]Q0": Symbology("qrcode"),
    "]Q1": Symbology("qrcode"),
    "]Q2": Symbology("qrcode"),
    "]Q3": Symbology("qrcode", gs1=True),
    "]Q4": Symbology("qrcode"),
    "]Q5": Symbology("qrcode", gs1=True),
    "]e0": Symbology("databar", gs1=True),
    "]e1": Symbology("databar", gs1=True),
    "]e2": Symbology("databar", gs1=True),
    "]J1": Symbology("dotcode", gs1=True),
    "]L0": Symbology("pdf417"),
    "]L1": Symbology("pdf417"),
    "]L2": Symbology("pdf417"),
    "]z0": Symbology("aztec"),
    "]X0": Symbology("other"),
}


def symbology_for_aim(aim: str, data: str = "") -> Symbology:
    """The symbology an AIM identifier names; for ``]E0`` the data's length tells EAN-13/UPC-A/UPC-E apart."""
    known = _AIM.get(aim)
    if aim == "]E0" and data.isdigit():
        return Symbology({12: "upca", 8: "upce"}.get(len(data), "ean13"))
    if known is not None:
        return known
    return Symbology(f"aim-{aim[1:]}" if AIM_PATTERN.fullmatch(aim) else "unknown")


def split_aim(text: str) -> tuple[str | None, str]:
    """Split a leading AIM identifier off `text`: (``]C1``, rest) or (None, text) when there is none."""
    if AIM_PATTERN.match(text):
        return text[:3], text[3:]
    return None, text


def is_gs1_aim(aim: str | None) -> bool:
    """True when the AIM identifier says the data is a GS1 element string."""
    return aim is not None and symbology_for_aim(aim).gs1
