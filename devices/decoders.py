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
from functools import cache

import cv2
import numpy as np

from devices.decoded import (
    AIM_IDS,
    SYMBOLOGIES,
    Decoded,
    DecoderError,
    ZxingTuning,
    accepted,
    check_symbologies,
    ean_symbology,
    itf_symbology,
    show_gs,
)

__all__ = [
    "AIM_IDS",
    "BACKENDS",
    "SYMBOLOGIES",
    "Decoded",
    "DecoderError",
    "ZxingTuning",
    "accepted",
    "check_symbologies",
    "decode",
    "ean_symbology",
    "installed_backends",
    "itf_symbology",
    "resolve_backend",
    "show_gs",
    "to_gray",
]

BACKENDS = ("zxing", "pyzbar")


@cache
def installed_backends() -> tuple[str, ...]:
    """The backends whose libraries import here (pyzbar also needs libzbar0)."""
    found = []
    if importlib.util.find_spec("zxingcpp") is not None:
        found.append("zxing")
    try:
        # lazy: only probes whether pyzbar and libzbar0 load here; a missing libzbar raises OSError
        from pyzbar import pyzbar  # noqa: F401

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
        # lazy: only the backend in use loads its library (zxing-cpp, or pyzbar that needs libzbar0)
        from devices.decode_zxing import decode_zxing

        found = decode_zxing(gray, wanted, tuning or ZxingTuning())
    else:
        from devices.decode_zbar import decode_zbar  # lazy: see above

        found = decode_zbar(gray, wanted)
    return [d for d in found if accepted(d.symbology, wanted)]
