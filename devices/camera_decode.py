"""One camera frame: crop, gray, downscale, decode, and a tilt fallback for long 1D codes."""

from __future__ import annotations

import cv2
import numpy as np

from devices.decoders import Decoded, ZxingTuning, decode
from devices.options import CameraOptions

LINEAR = ("ean13", "ean8", "upca", "upce", "code128", "gs1-128")


def prepare(frame: np.ndarray, settings: CameraOptions) -> np.ndarray:
    """Crop to the region of interest, convert to gray and downscale: the frame the decoder sees."""
    if not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3) or frame.size == 0:
        raise ValueError("empty or malformed frame")
    if len(settings.roi) == 4:
        h, w = frame.shape[:2]
        x, y, rw, rh = settings.roi
        x0, y0 = int(max(0.0, x) * w), int(max(0.0, y) * h)
        x1, y1 = int(min(1.0, x + rw) * w), int(min(1.0, y + rh) * h)
        if x1 > x0 and y1 > y0:
            frame = frame[y0:y1, x0:x1]
    if frame.ndim == 3:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY if frame.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    if settings.downscale < 1.0:
        frame = cv2.resize(
            frame, None, fx=settings.downscale, fy=settings.downscale, interpolation=cv2.INTER_AREA
        )
    return frame


def decode_frame(
    gray: np.ndarray, backend: str, symbologies: tuple[str, ...], tuning: ZxingTuning, deskew_degrees: float
) -> list[Decoded]:
    """Decode a prepared frame; when nothing is found, try it turned by ±`deskew_degrees` (1D codes only).

    A 1D decoder needs one straight scan line across the whole code: a long GS1-128 (3 px per module,
    ~1200 px wide, 150 px tall) cannot be crossed once it is tilted more than about 7-10°. Turning the frame
    back brings such codes within reach; 2D codes are read at any angle and are not searched again.
    """
    found = decode(gray, backend, symbologies, tuning)
    linear = tuple(s for s in symbologies if s in LINEAR)
    if found or not deskew_degrees or not linear:
        return found
    h, w = gray.shape[:2]
    for angle in (deskew_degrees, -deskew_degrees):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(
            gray, matrix, (w, h), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE
        )
        found = decode(turned, backend, linear, tuning)
        if found:
            return found
    return []


def unambiguous(found: list[Decoded]) -> list[Decoded]:
    """Drop reads overlapping another read of the same symbology with different text (misreads on a tilt)."""
    boxes = [_box(d) for d in found]
    return [
        d
        for i, d in enumerate(found)
        if not any(
            j != i and o.symbology == d.symbology and o.text != d.text and _overlap(boxes[i], boxes[j])
            for j, o in enumerate(found)
        )
    ]


def _box(d: Decoded) -> tuple[int, int, int, int]:
    if not d.position:
        return (0, 0, 0, 0)
    xs, ys = [p[0] for p in d.position], [p[1] for p in d.position]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
