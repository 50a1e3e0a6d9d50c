"""Photograph-like distortions for rendered barcodes (see tests/support/photo_set.py).

Each function takes and returns an 8-bit grayscale image and draws its randomness from the `rng` it is given,
so a photo set built from one seed is the same on every machine. Severities are chosen to cover what phone and
fixed-camera shots of labels show on a warehouse floor: a few are beyond any decoder, most are hard.
"""

from __future__ import annotations

import cv2
import numpy as np

Rng = np.random.Generator


def on_label(code: np.ndarray, rng: Rng, caption: str) -> np.ndarray:
    """The code on a white label with a margin and a printed caption, as labels come off a printer."""
    h, w = code.shape
    margin = max(8, w // 12)
    label = np.full((h + 2 * margin + 24, w + 2 * margin), 250, np.uint8)
    label[margin : margin + h, margin : margin + w] = code
    scale = max(0.4, min(1.0, w / 600))
    cv2.putText(label, caption[:40], (margin, margin + h + 18), cv2.FONT_HERSHEY_SIMPLEX, scale, 30, 1)
    return label


def scale_to(code: np.ndarray, module_px: float) -> np.ndarray:
    """Resample a 1 px/module code to `module_px` pixels per module (fractional, as photographed)."""
    return cv2.resize(code, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_AREA)


def curve(label: np.ndarray, rng: Rng) -> np.ndarray:
    """Wrap the label round a cylinder (a can, a bottle): bars crowd and darken towards the edges."""
    h, w = label.shape
    radius = w / float(rng.uniform(0.7, 1.5))  # the label covers 40-85° of the cylinder
    half = w / 2
    xs = np.arange(w, dtype=np.float32) - half
    limit = radius * np.sin(half / radius)
    theta = np.arcsin(np.clip(xs * limit / half / radius, -1, 1))
    src_x = (half + radius * theta).astype(np.float32)
    bow = float(rng.uniform(-0.04, 0.04)) * h * (1 - np.cos(theta))
    map_x = np.tile(src_x, (h, 1))
    map_y = (np.arange(h, dtype=np.float32)[:, None] + bow[None, :]).astype(np.float32)
    out = cv2.remap(label, map_x, map_y, cv2.INTER_LINEAR, borderValue=250)
    shade = (0.65 + 0.35 * np.cos(theta)).astype(np.float32)
    return np.clip(out.astype(np.float32) * shade[None, :], 0, 255).astype(np.uint8)


def place_in_scene(label: np.ndarray, rng: Rng, size: tuple[int, int], angle: float,
                   perspective: float) -> np.ndarray:  # fmt: skip
    """Put the label on a textured background, turned by `angle`° at a slant (`perspective` 0-0.3)."""
    width, height = size
    scene = background(rng, width, height)
    h, w = label.shape
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-perspective, perspective, (4, 2)) * np.float32([w, h])
    warped = corners + jitter.astype(np.float32)
    centre = warped.mean(axis=0)
    rot = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)
    warped = np.hstack([warped, np.ones((4, 1), np.float32)]) @ rot.T.astype(np.float32)
    span = warped.max(axis=0) - warped.min(axis=0)
    fit = min(1.0, 0.92 * width / span[0], 0.92 * height / span[1])
    warped = (warped - warped.mean(axis=0)) * fit
    room = np.maximum(0.0, (np.float32([width, height]) - span * fit) / 2 - 4)
    offset = rng.uniform(-1, 1, 2) * room + np.float32([width / 2, height / 2])
    warped = (warped + offset).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(corners, warped)
    tile = cv2.warpPerspective(label, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(label, 255), matrix, (width, height), borderValue=0)
    alpha = mask.astype(np.float32) / 255
    return (scene * (1 - alpha) + tile * alpha).astype(np.uint8)


def background(rng: Rng, width: int, height: int) -> np.ndarray:
    """Cardboard, shelf or bench: a mid-grey gradient with blotches and a few hard edges."""
    base = float(rng.uniform(70, 190))
    gy, gx = np.mgrid[0:height, 0:width].astype(np.float32)
    slope = rng.uniform(-40, 40, 2)
    scene = base + slope[0] * gx / width + slope[1] * gy / height
    blotches = cv2.GaussianBlur(
        rng.normal(0, 25, (height // 8 + 1, width // 8 + 1)).astype(np.float32), (0, 0), 2
    )
    scene += cv2.resize(blotches, (width, height))
    out = np.clip(scene, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(2, 7))):
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.line(out, p1, p2, int(rng.integers(20, 230)), int(rng.integers(1, 6)))
    return out


def gaussian_blur(img: np.ndarray, rng: Rng, module_px: float) -> np.ndarray:
    """Out of focus: sigma up to half a module."""
    return cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.15, 0.5)) * module_px)


def motion_blur(img: np.ndarray, rng: Rng, module_px: float) -> np.ndarray:
    """A hand that moved: a line kernel up to ~1.2 modules long at a random angle."""
    length = max(3, round(float(rng.uniform(0.5, 1.2)) * module_px) | 1)
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))


def glare(img: np.ndarray, rng: Rng) -> np.ndarray:
    """A specular highlight from a lamp on a glossy label: a saturating bright blob."""
    h, w = img.shape
    cx, cy = rng.uniform(0.25, 0.75) * w, rng.uniform(0.25, 0.75) * h
    radius = float(rng.uniform(0.06, 0.16)) * min(w, h) * 2
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    blob = np.exp(-((gx - cx) ** 2 + (gy - cy) ** 2) / (2 * radius**2)) * float(rng.uniform(120, 230))
    return np.clip(img.astype(np.float32) + blob, 0, 255).astype(np.uint8)


def low_contrast(img: np.ndarray, rng: Rng) -> np.ndarray:
    """Faded thermal print or dim light: grey levels squeezed into a narrow band."""
    low = float(rng.uniform(60, 120))
    high = low + float(rng.uniform(35, 70))
    return (low + img.astype(np.float32) * (high - low) / 255).astype(np.uint8)


def uneven_light(img: np.ndarray, rng: Rng) -> np.ndarray:
    """Light from one side: a strong brightness ramp across the frame."""
    h, w = img.shape
    angle = float(rng.uniform(0, 2 * np.pi))
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = (np.cos(angle) * gx / w + np.sin(angle) * gy / h) * float(rng.uniform(0.5, 0.8))
    return np.clip(img.astype(np.float32) * (1 - ramp + ramp.mean()), 0, 255).astype(np.uint8)


def noise_and_jpeg(img: np.ndarray, rng: Rng) -> np.ndarray:
    """Sensor noise, then a phone's strong JPEG compression."""
    noisy = img.astype(np.float32) + rng.normal(0, float(rng.uniform(4, 14)), img.shape)
    return jpeg(np.clip(noisy, 0, 255).astype(np.uint8), int(rng.integers(15, 45)))


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """Round-trip through JPEG at `quality`."""
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode JPEG")
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
