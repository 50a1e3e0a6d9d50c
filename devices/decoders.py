"""Barcode decoding behind one function: `decode(frame, backend, symbologies) -> list[Decoded]`.

Two backends sit behind it:

- ``zxing`` (zxing-cpp): every symbology Aisle uses, DataMatrix and GS1 DataMatrix included; reports the AIM
  symbology identifier and the GS1 flag itself; read in plain text mode so GS (0x1D) separators survive.
- ``pyzbar`` (zbar): 1D codes and QR, no DataMatrix. pyzbar does not expose zbar's symbol modifiers, so
  `devices.decode_zbar` reads the GS1 modifier through zbar's C API to tell GS1-128 from Code 128.

``auto`` picks zxing-cpp when it is importable, else pyzbar: zxing-cpp reads more of the floor's
symbologies (DataMatrix), reports AIM identifiers, and is faster on a full 1280x720 frame (see
tests/bench/bench_camera.py).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import cv2
import numpy as np

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
BACKENDS = ("zxing", "pyzbar")


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


@cache
def installed_backends() -> tuple[str, ...]:
    """The backends whose libraries import here (pyzbar also needs libzbar0)."""
    found = []
    if importlib.util.find_spec("zxingcpp") is not None:
        found.append("zxing")
    try:
        from pyzbar import pyzbar  # noqa: F401  (loads libzbar)

        found.append("pyzbar")
    except (ImportError, OSError):
        pass
    return tuple(found)


def resolve_backend(backend: str) -> str:
    """Turn ``auto`` into the best installed backend; check that a named one is known and installed."""
    backend = backend.strip().lower()
    installed = installed_backends()
    if backend == "auto":
        if not installed:
            raise DecoderError("no barcode decoder installed: install zxing-cpp, or pyzbar with libzbar0")
        return installed[0]  # zxing first: more symbologies, AIM ids, faster on full frames
    if backend not in BACKENDS:
        raise DecoderError(f"unknown decoder {backend!r}; use auto, zxing or pyzbar")
    if backend not in installed:
        raise DecoderError(f"decoder {backend!r} is not installed")
    return backend


def to_gray(frame: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit grayscale view of a gray, BGR or BGRA frame."""
    if not isinstance(frame, np.ndarray) or frame.size == 0:
        raise ValueError("frame is not a non-empty numpy array")
    if frame.dtype != np.uint8:
        frame = cv2.convertScaleAbs(frame)
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        frame = cv2.cvtColor(frame, code)
    if frame.ndim != 2:
        raise ValueError(f"frame has shape {frame.shape}; expected HxW or HxWx3")
    return np.ascontiguousarray(frame)


def decode(
    frame: np.ndarray,
    backend: str = "auto",
    symbologies: Iterable[str] = SYMBOLOGIES,
    tuning: ZxingTuning | None = None,
) -> list[Decoded]:
    """Decode every barcode of the wanted symbologies in a gray or BGR frame.

    Reads of symbologies not in `symbologies` are dropped (``code128`` does not admit GS1-128, nor
    ``datamatrix`` GS1 DataMatrix: list both when both are wanted). Raises DecoderError on a wrong setting and
    ValueError on a frame that is not an image array.
    """
    wanted = check_symbologies(symbologies)
    gray = to_gray(frame)
    name = resolve_backend(backend)
    if name == "zxing":
        from devices.decode_zxing import decode_zxing

        found = decode_zxing(gray, wanted, tuning or ZxingTuning())
    else:
        from devices.decode_zbar import decode_zbar

        found = decode_zbar(gray, wanted)
    return [d for d in found if accepted(d.symbology, wanted)]


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
