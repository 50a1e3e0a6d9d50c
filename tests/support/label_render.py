"""Rendering labels back to pixels for the label tests: ZPL through zpl-renderer-js (zebrash) under Node, PDF
through pypdfium2, then Aisle's own decoder.

`render_zpl_png` runs tests/support/render_zpl.mjs with the project's node_modules (`npm install`, run by
.ci/setup.sh). Missing Node or the npm package skips the test on a workstation and fails it in CI (CI=true),
so the rendering tests never vanish from CI silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import cv2
import numpy as np
import pytest

from devices.decode_thorough import decode_thorough
from devices.decoders import Decoded

ROOT = Path(__file__).resolve().parents[2]
RENDER_ZPL = ROOT / "tests" / "support" / "render_zpl.mjs"
#: dots per millimetre zebrash renders at, per printer dpi
DPMM = {203: 8, 300: 12, 600: 24}


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: the label rendering tests must run; .ci/setup.sh installs them)")
    pytest.skip(reason)


def render_zpl_png(zpl: bytes, dpi: int = 203) -> np.ndarray:
    """The ZPL label as zebrash prints it: an 8-bit grayscale image."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (apt-get install nodejs npm)")
    if not (ROOT / "node_modules" / "zpl-renderer-js").is_dir():
        _unavailable("zpl-renderer-js is not installed: run `npm install` at the top of the repository")
    done = subprocess.run(
        [str(node), str(RENDER_ZPL), str(DPMM[dpi])], input=zpl, capture_output=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    image = cv2.imdecode(np.frombuffer(done.stdout, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None, "zpl-renderer-js wrote no PNG"
    return image


def render_pdf_png(pdf: bytes, dpi: int = 203) -> np.ndarray:
    """The PDF's first page rasterised by pdfium at `dpi`: an 8-bit grayscale image."""
    import pypdfium2  # lazy: dev extra, only these tests

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0])


def pdf_text(pdf: bytes) -> list[str]:
    """The text lines pdfium extracts from the PDF's first page."""
    import pypdfium2  # lazy: see above

    page = pypdfium2.PdfDocument(pdf)[0]
    return [line.strip() for line in page.get_textpage().get_text_bounded().splitlines() if line.strip()]


def decoded(image: np.ndarray) -> dict[tuple[str, str], Decoded]:
    """Every Code 128 / GS1-128 read in the image by (AIM id, text), with `aisle decode`'s thorough pass."""
    return {(d.aim or "", d.text): d for d in decode_thorough(image, ("code128", "gs1-128"))}
