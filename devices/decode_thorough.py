"""The thorough pass for still images (`aisle decode`) and for camera frames escalated by devices.escalation.

The camera's fast pass spends a few milliseconds per frame; a still photo, or a frame that looked like it held
a code, deserves more. `decode_thorough` runs in stages and stops at the first stage that reads something:

1. zxing-cpp with its robust options (rotated, inverted and downscaled copies searched; its library defaults);
2. a second opinion: zxing-cpp on the explicitly inverted image and with its global-histogram binarizer,
   then zbar (pyzbar) on the image and on its inverse (each reads codes the other misses);
3. prepared copies, each read by both: contrast-equalised (CLAHE: glare, faded print, uneven light), sharpened
   (blur), enlarged (small modules), and turned by ±15°/±30°/±45° (1D codes tilted past a scan line).

Reads are merged and de-duplicated by (symbology, text); positions are given in the input image's
coordinates. The extra stages see more noise than the fast pass, so a GS1 read whose GTIN (AI 01) has a
wrong check digit, or a DataBar read without one, is dropped as a misread (zbar's DataBar reader makes them
on curved and slanted labels). Decoders not installed are skipped; DecoderError is raised only when none is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import cv2
import numpy as np

from app.domain.gtin import is_gtin
from devices.decoders import (
    SYMBOLOGIES,
    Decoded,
    DecoderError,
    ZxingTuning,
    decode,
    installed_backends,
    to_gray,
)

ROBUST = ZxingTuning(try_rotate=True, try_downscale=True, try_invert=True, binarizer="LocalAverage")
GLOBAL = ZxingTuning(try_rotate=True, try_downscale=True, try_invert=False, binarizer="GlobalHistogram")
TURNS = (15.0, -15.0, 30.0, -30.0, 45.0, -45.0)
#: the linear symbologies (the list up to QR), which the turned copies are for
LINEAR = SYMBOLOGIES[: SYMBOLOGIES.index("qrcode")]

#: an image variant: (the image, a function mapping its points back to the input's coordinates)
Variant = tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]


def decode_thorough(
    frame: np.ndarray, symbologies: tuple[str, ...], *, deep: bool = True, deadline: float | None = None
) -> list[Decoded]:
    """Every code of `symbologies` found by the staged search above; `deep=False` stops after stage 2.

    With a `deadline` (a `time.perf_counter()` value) no further attempt starts once it has passed: the camera
    bounds each escalation this way; stage 1 always runs.
    """
    gray = to_gray(frame)
    backends = installed_backends()
    if not backends:
        raise DecoderError("no barcode decoder installed: install zxing-cpp, or pyzbar with libzbar0")
    found = merged(_read(gray, symbologies, backends, first_only=True))
    if found:
        return found
    for attempt in _second_opinions(gray, symbologies, backends):
        if merged(attempt):
            return merged(attempt)
        if deadline is not None and time.perf_counter() > deadline:
            return []
    if not deep:
        return []
    for image, back in _variants(gray, symbologies):
        if deadline is not None and time.perf_counter() > deadline:
            return []
        found = merged(_read(image, symbologies, backends))
        if found:
            return [_moved(d, back) for d in found]
    return []


def merged(found: list[Decoded]) -> list[Decoded]:
    """`found` without repeats (same symbology and text) and without implausible GS1 reads, in order."""
    out: dict[tuple[str, str], Decoded] = {}
    for d in found:
        if d.key not in out and plausible(d):
            out[d.key] = d
    return list(out.values())


def plausible(d: Decoded) -> bool:
    """False for a GS1 read whose leading GTIN (AI 01) fails its check digit, or a DataBar without a GTIN."""
    if d.symbology.startswith("databar") and not d.text.startswith("01"):
        return False
    if d.gs1 and d.text.startswith("01"):
        return len(d.text) >= 16 and is_gtin(d.text[2:16])
    return True


def _read(gray: np.ndarray, symbologies: tuple[str, ...], backends: tuple[str, ...],
          first_only: bool = False) -> list[Decoded]:  # fmt: skip
    """zxing (robust options), then zbar when zxing read nothing (or only zxing with `first_only`)."""
    if "zxing" in backends:
        found = decode(gray, "zxing", symbologies, ROBUST)
        if found or first_only:
            return found
    if "pyzbar" in backends:
        return decode(gray, "pyzbar", symbologies)
    return []


def _second_opinions(
    gray: np.ndarray, symbologies: tuple[str, ...], backends: tuple[str, ...]
) -> Iterator[list[Decoded]]:
    inverted = cv2.bitwise_not(gray)
    if "zxing" in backends:
        yield decode(inverted, "zxing", symbologies, ROBUST)
        yield decode(gray, "zxing", symbologies, GLOBAL)
    if "pyzbar" in backends:
        yield decode(gray, "pyzbar", symbologies)
        yield decode(inverted, "pyzbar", symbologies)


def _same(points: np.ndarray) -> np.ndarray:
    return points


def _variants(gray: np.ndarray, symbologies: tuple[str, ...]) -> Iterator[Variant]:
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)
    yield clahe, _same
    yield cv2.bitwise_not(clahe), _same
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    sharp = cv2.addWeighted(gray, 2.0, soft, -1.0, 0)
    yield sharp, _same
    if max(gray.shape) <= 1600:
        yield cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), lambda p: p / 2
    if any(s in LINEAR for s in symbologies):
        for angle in TURNS:
            yield _turned(clahe, angle)


def _turned(gray: np.ndarray, angle: float) -> Variant:
    """`gray` turned by `angle`° on a canvas large enough to keep every corner, and the way back."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    turned = cv2.warpAffine(gray, matrix, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    inverse = cv2.invertAffineTransform(matrix)
    return turned, lambda p: p @ inverse[:, :2].T + inverse[:, 2]


def _moved(d: Decoded, back: Callable[[np.ndarray], np.ndarray]) -> Decoded:
    if not d.position or back is _same:
        return d
    points = back(np.array(d.position, dtype=np.float64))
    return Decoded(d.text, d.raw, d.symbology, d.aim, d.gs1, tuple((int(x), int(y)) for x, y in points))
