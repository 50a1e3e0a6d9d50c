"""A realistic, deterministic photo set of barcodes: rendered by zxing-cpp, then "photographed" by script.

`photo_set(count, seed)` returns PhotoSamples: one code per image, its symbology (as in [camera] symbologies),
the text a decoder must return, the distortions applied and the image. The same seed gives the same images.
Every symbology the floor reads is represented, ITF-14 case codes with their bearer bars included; each image
gets two to four distortions (tests/support/photo_distort.py). The bench (tests/bench/bench_decode.py) runs
several hundred; tests take a few by index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from app.domain.errors import InvalidBarcode
from app.domain.gtin import upce_to_upca, with_check_digit
from tests.support import photo_distort as pd

GS = "\x1d"
#: symbology -> zxing-cpp writer formats (one picked per image)
KINDS: dict[str, tuple[str, ...]] = {
    "ean13": ("EAN13",),
    "ean8": ("EAN8",),
    "upca": ("UPCA",),
    "upce": ("UPCE",),
    "code128": ("Code128",),
    "gs1-128": ("Code128",),
    "itf-14": ("ITF14",),
    "databar": ("DataBarOmni", "DataBarOmni", "DataBarStk"),
    "databar-expanded": ("DataBarExp", "DataBarExp", "DataBarExpStk"),
    "qrcode": ("QRCode",),
    "datamatrix": ("DataMatrix",),
    "gs1-datamatrix": ("DataMatrix",),
}
DISTORTIONS = ("perspective", "rotation", "blur", "motion", "glare", "contrast", "light", "invert", "curve",
               "noise")  # fmt: skip


@dataclass(frozen=True)
class PhotoSample:
    """One photo: `expected` is the decoded text (GS kept, UPC as 13 digits, DataBar with its leading 01)."""

    name: str
    symbology: str
    expected: str
    distortions: tuple[str, ...]
    image: np.ndarray


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def content(symbology: str, rng: np.random.Generator) -> tuple[str, bool, str]:
    """(writer input, GS1 mode, expected decoded text) of a random code of `symbology`."""
    gtin = with_check_digit("0" + _digits(rng, 12))
    lot = "L" + _digits(rng, int(rng.integers(2, 6)))
    date = f"2{int(rng.integers(6, 9))}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"
    if symbology == "ean13":
        code = with_check_digit(str(int(rng.integers(1, 10))) + _digits(rng, 11))
        return code, False, code
    if symbology == "ean8":
        code = with_check_digit(_digits(rng, 7))
        return code, False, code
    if symbology == "upca":
        code = with_check_digit(str(int(rng.integers(1, 10))) + _digits(rng, 10))
        return code, False, "0" + code
    if symbology == "upce":
        # last digit 5-9 with a non-zero 5th: a zero suppression every writer accepts
        body = "0" + _digits(rng, 4) + str(int(rng.integers(1, 10))) + str(int(rng.integers(5, 10)))
        upce = next(c for c in (body + str(d) for d in range(10)) if _valid_upce(c))
        return upce, False, "0" + upce_to_upca(upce)
    if symbology == "code128":
        text = f"SKU-{_digits(rng, int(rng.integers(4, 9)))}"
        return text, False, text
    if symbology == "gs1-128":
        return f"(01){gtin}(10){lot}(17){date}", True, f"01{gtin}10{lot}{GS}17{date}"
    if symbology == "itf-14":
        case = with_check_digit(str(int(rng.integers(1, 9))) + gtin[1:-1])
        return case, False, case
    if symbology == "databar":
        return f"(01){gtin}", True, f"01{gtin}"
    if symbology == "databar-expanded":
        grams = f"{int(rng.integers(100, 5000)):06d}"
        return f"(01){gtin}(3103){grams}(15){date}(10){lot}", True, f"01{gtin}3103{grams}15{date}10{lot}"
    if symbology == "qrcode":
        text = f"https://example.com/p/{_digits(rng, 8)}"
        return text, False, text
    if symbology == "datamatrix":
        text = f"A-{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 1)}"
        return text, False, text
    if symbology == "gs1-datamatrix":
        serial = _digits(rng, 10)
        return f"(01){gtin}(17){date}(10){lot}(21){serial}", True, f"01{gtin}17{date}10{lot}{GS}21{serial}"
    raise ValueError(f"no photo content for {symbology!r}")


def _valid_upce(code: str) -> bool:
    try:
        upce_to_upca(code)
    except InvalidBarcode:
        return False
    return True


def render(symbology: str, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A 1 px/module image of a random code of `symbology` with its quiet zones, and its expected text."""
    writer_input, gs1, expected = content(symbology, rng)
    fmt = getattr(zxingcpp.BarcodeFormat, str(rng.choice(KINDS[symbology])))
    gs1_mode = gs1 and not symbology.startswith(
        "databar"
    )  # DataBar is always GS1: the writer refuses the flag
    code = zxingcpp.create_barcode(writer_input, fmt, **({"gs1": True} if gs1_mode else {}))
    image = np.array(code.to_image(scale=1), dtype=np.uint8)
    if image.shape[0] < 20:  # 1D writers draw 1 px high at scale 1: give the bars a height
        image = cv2.resize(
            image, (image.shape[1], max(30, image.shape[1] // 4)), interpolation=cv2.INTER_NEAREST
        )
    return image, expected


def photo(symbology: str, rng: np.random.Generator, size: tuple[int, int] = (800, 600),
          distortions: tuple[str, ...] | None = None) -> PhotoSample:  # fmt: skip
    """One photograph-like image of a random code of `symbology` (random distortions unless given)."""
    code, expected = render(symbology, rng)
    picked = (
        distortions
        if distortions is not None
        else tuple(sorted(rng.choice(DISTORTIONS, int(rng.integers(2, 4)), replace=False)))
    )
    target_w = float(rng.uniform(0.25, 0.8)) * size[0]
    module_px = float(np.clip(target_w / code.shape[1], 1.3, 6.0 if code.shape[0] == code.shape[1] else 4.0))
    label = pd.on_label(pd.scale_to(code, module_px), rng, expected.replace(GS, " "))
    if "curve" in picked:
        label = pd.curve(label, rng)
    if "invert" in picked:
        label = 255 - label
    if "rotation" in picked:
        angle = float(rng.choice([rng.uniform(-35, 35), rng.uniform(-35, 35), 90.0, 180.0, -90.0]))
    else:
        angle = float(rng.uniform(-4, 4))
    slant = float(rng.uniform(0.08, 0.22)) if "perspective" in picked else 0.02
    img = pd.place_in_scene(label, rng, size, angle, slant)
    for name, step in (
        ("light", lambda i: pd.uneven_light(i, rng)),
        ("contrast", lambda i: pd.low_contrast(i, rng)),
        ("glare", lambda i: pd.glare(i, rng)),
        ("blur", lambda i: pd.gaussian_blur(i, rng, module_px)),
        ("motion", lambda i: pd.motion_blur(i, rng, module_px)),
        ("noise", lambda i: pd.noise_and_jpeg(i, rng)),
    ):
        if name in picked:
            img = step(img)
    if "noise" not in picked:
        img = pd.jpeg(img, int(rng.integers(70, 95)))  # every photo is a JPEG
    return PhotoSample("", symbology, expected, picked, img)


def photo_set(
    count: int = 480, seed: int = 12, symbologies: tuple[str, ...] = tuple(KINDS)
) -> list[PhotoSample]:
    """`count` photos, the symbologies in turn; image i is the same for a given seed whatever `count` is."""
    return [photo_at(i, seed, symbologies) for i in range(count)]


def photo_at(index: int, seed: int = 12, symbologies: tuple[str, ...] = tuple(KINDS)) -> PhotoSample:
    """Image `index` of the set made with `seed`, named after its index, symbology and distortions."""
    symbology = symbologies[index % len(symbologies)]
    sample = photo(symbology, np.random.default_rng([seed, index]))
    name = f"{index:04d}-{symbology}-{'+'.join(sample.distortions)}.jpg"
    return PhotoSample(name, symbology, sample.expected, sample.distortions, sample.image)


def write_set(samples: list[PhotoSample], folder: Path) -> list[Path]:
    """Write each sample as a JPEG at quality 100 (the image is already compressed); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for s in samples:
        path = folder / s.name
        cv2.imwrite(str(path), s.image, [cv2.IMWRITE_JPEG_QUALITY, 100])
        paths.append(path)
    return paths
