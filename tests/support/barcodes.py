"""Generated barcode images and videos for device tests and the camera bench (zxing-cpp's writer, OpenCV).

Nothing binary is committed: tests build what they need into tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

GS = "\x1d"
GS1_ELEMENT = "(01)09506000134352(10)LOT42(17)260101"
#: symbology -> (content given to the writer, zxing-cpp format, GS1 mode, text a decoder must return)
SAMPLES: dict[str, tuple[str, str, bool, str]] = {
    "ean13": ("4006381333931", "EAN13", False, "4006381333931"),
    "ean8": ("96385074", "EAN8", False, "96385074"),
    "upca": ("036000291452", "UPCA", False, "0036000291452"),
    "upce": ("01234565", "UPCE", False, "0012345000065"),
    "code128": ("SKU-12345", "Code128", False, "SKU-12345"),
    "gs1-128": (GS1_ELEMENT, "Code128", True, f"010950600013435210LOT42{GS}17260101"),
    "qrcode": ("T-0042", "QRCode", False, "T-0042"),
    "gs1-qrcode": (GS1_ELEMENT, "QRCode", True, f"010950600013435210LOT42{GS}17260101"),
    "datamatrix": ("A-03-02-1", "DataMatrix", False, "A-03-02-1"),
    "gs1-datamatrix": (GS1_ELEMENT, "DataMatrix", True, f"010950600013435210LOT42{GS}17260101"),
}


def barcode_image(content: str, fmt: str, gs1: bool = False, module_px: int = 3) -> np.ndarray:
    """A grayscale barcode with its quiet zones, `module_px` pixels per module."""
    options = {"gs1": True} if gs1 else {}
    code = zxingcpp.create_barcode(content, getattr(zxingcpp.BarcodeFormat, fmt), **options)
    return np.array(code.to_image(scale=module_px), dtype=np.uint8)


def sample_image(symbology: str, module_px: int = 3) -> np.ndarray:
    """The sample barcode of a symbology (see SAMPLES)."""
    content, fmt, gs1, _ = SAMPLES[symbology]
    return barcode_image(content, fmt, gs1, module_px)


def blank_frame(width: int = 1280, height: int = 720, shade: int = 200) -> np.ndarray:
    """An empty BGR frame, a little darker than paper, like a bench under a camera."""
    return np.full((height, width, 3), shade, dtype=np.uint8)


def place(
    code: np.ndarray,
    width: int = 1280,
    height: int = 720,
    center: tuple[float, float] = (0.5, 0.5),
    angle: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
    clutter: bool = False,
) -> np.ndarray:
    """A BGR frame with `code` at `center` (fractions of the frame), turned by `angle`°, blurred and noisy.

    `blur` is the Gaussian sigma in pixels; `noise` the standard deviation of added noise in grey levels.
    """
    frame = cluttered_frame(width, height, seed) if clutter else blank_frame(width, height)
    h, w = code.shape
    diag = int(np.ceil(np.hypot(h, w))) + 4
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[0, 2] += (diag - w) / 2
    matrix[1, 2] += (diag - h) / 2
    turned = cv2.warpAffine(code, matrix, (diag, diag), flags=cv2.INTER_LINEAR, borderValue=255)
    mask = cv2.warpAffine(
        np.full_like(code, 255), matrix, (diag, diag), flags=cv2.INTER_NEAREST, borderValue=0
    )
    x0 = int(center[0] * width - diag / 2)
    y0 = int(center[1] * height - diag / 2)
    _paste(frame, turned, mask, x0, y0)
    if blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    if noise > 0:
        rng = np.random.default_rng(seed)
        noisy = frame.astype(np.float32) + rng.normal(0, noise, frame.shape[:2])[:, :, None]
        frame = np.clip(noisy, 0, 255).astype(np.uint8)
    return frame


def cluttered_frame(width: int = 1280, height: int = 720, seed: int = 0) -> np.ndarray:
    """A BGR bench scene: boxes, lines and printed words, so decoders meet edges that are not barcodes."""
    rng = np.random.default_rng(seed)
    frame = blank_frame(width, height)
    for _ in range(25):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(20, 300)), int(rng.integers(20, 200))
        shade = int(rng.integers(40, 250))
        cv2.rectangle(frame, (x, y), (x + w, y + h), (shade, shade, shade), int(rng.choice([-1, 2, 4])))
    for _ in range(15):
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.line(frame, p1, p2, (60, 60, 60), int(rng.integers(1, 4)))
    for i in range(10):
        org = (int(rng.integers(0, width - 200)), int(rng.integers(20, height)))
        cv2.putText(frame, f"LOT {seed}-{i} FRAGILE", org, cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
    return frame


def _paste(frame: np.ndarray, tile: np.ndarray, mask: np.ndarray, x0: int, y0: int) -> None:
    fh, fw = frame.shape[:2]
    th, tw = tile.shape
    xs, ys = max(0, -x0), max(0, -y0)
    xe, ye = min(tw, fw - x0), min(th, fh - y0)
    if xe <= xs or ye <= ys:
        return
    region = frame[y0 + ys : y0 + ye, x0 + xs : x0 + xe]
    m = mask[ys:ye, xs:xe] > 0
    region[m] = tile[ys:ye, xs:xe][m][:, None]


def write_video(path: Path, frames: Iterable[np.ndarray], fps: float = 30.0) -> Path:
    """Write BGR frames to an MJPG .avi (works with headless OpenCV); returns the path."""
    writer: cv2.VideoWriter | None = None
    try:
        for frame in frames:
            if writer is None:
                h, w = frame.shape[:2]
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
                if not writer.isOpened():
                    raise RuntimeError(f"OpenCV cannot write {path}")
            writer.write(frame)
    finally:
        if writer is not None:
            writer.release()
    return path


def scene(
    code: np.ndarray | None, count: int, width: int = 640, height: int = 360, **kw: float
) -> list[np.ndarray]:
    """`count` frames of one scene: `code` placed in the middle (or an empty bench when None)."""
    frame = blank_frame(width, height) if code is None else place(code, width, height, **kw)  # type: ignore[arg-type]
    return [frame] * count
