"""Decode bench: read rate per symbology and decoder on a scripted photo set, and the camera loop's frame rate
with escalation on.

Issue 12, point 5: on the same images in the same run, `aisle decode`'s thorough pass must read at least as
many as the best single library with its default options (zxing-cpp, pyzbar), and more than it. The camera
loop must keep >= 30 frames/s with escalation on. Run: ``.venv/bin/python -m tests.bench decode``.

The set (tests/support/photo_set.py, seed 12) holds one code per image, 800x600 JPEG, with two or three of:
perspective, rotation, gaussian and motion blur, glare, low contrast, uneven light, inversion, curved labels,
noise with strong JPEG; ITF-14 carries its bearer bars. A read counts when the expected text is among those
returned (UPC-A/E compared as their 13-digit EAN form); any other text is a misread.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.config import CameraSettings
from devices.camera import CameraScanner
from devices.decode_thorough import decode_thorough
from devices.scan import Scan, ScannerStatus
from tests.bench.bench_camera import one_core
from tests.support.barcodes import cluttered_frame, write_video
from tests.support.photo_set import KINDS, PhotoSample, photo_set

PHOTOS = 480
TARGET_FPS = 30.0
Reader = Callable[[np.ndarray], list[str]]


def zxing_default(image: np.ndarray) -> list[str]:
    """zxing-cpp as a user calls it: every format, its default options (rotate, invert, downscale on)."""
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)]


def pyzbar_default(image: np.ndarray) -> list[str]:
    """pyzbar as a user calls it: every symbol type zbar knows, default configuration."""
    from pyzbar import pyzbar

    from devices.decode_zbar import expand_upce

    out = []
    for r in pyzbar.decode(image):
        text = r.data.decode("utf-8", errors="replace")
        out.append("0" + expand_upce(text) if r.type == "UPCE" and len(text) == 8 else text)
    return out


def aisle_decode(image: np.ndarray) -> list[str]:
    """What `aisle decode` prints for the image: the thorough pass over the default [camera] symbologies."""
    symbologies = tuple(CameraSettings.model_validate({}).symbologies)
    return [d.text for d in decode_thorough(image, symbologies)]


def same(a: str, b: str) -> bool:
    """Equal texts; all-digit ones compared without leading zeros (UPC-A 12 digits vs its EAN-13 form)."""
    return a.lstrip("0") == b.lstrip("0") if a.isdigit() and b.isdigit() else a == b


def score(samples: list[PhotoSample], reader: Reader) -> tuple[Counter[str], int, float]:
    """(reads per symbology and 'all', misreads, mean ms per image)."""
    reads: Counter[str] = Counter()
    misreads = 0
    started = time.perf_counter()
    for s in samples:
        texts = reader(s.image)
        hit = any(same(t, s.expected) for t in texts)
        reads[s.symbology] += hit
        reads["all"] += hit
        misreads += any(not same(t, s.expected) for t in texts)
    return reads, misreads, 1000 * (time.perf_counter() - started) / len(samples)


def camera_frames(samples: list[PhotoSample], repeat: int = 4) -> list[np.ndarray]:
    """1280x720 BGR frames: each photo on a cluttered bench for `repeat` frames, an empty bench between."""
    frames = []
    for i, s in enumerate(samples):
        frame = cluttered_frame(seed=i)
        h, w = s.image.shape
        y, x = (720 - h) // 2, (1280 - w) // 2
        frame[y : y + h, x : x + w] = s.image[:, :, None]
        frames += [frame] * repeat + [cluttered_frame(seed=5000 + i)]
    return frames


def camera_loop(frames: list[np.ndarray], escalate_ms: float) -> tuple[float, int, CameraScanner]:
    """Run the real CameraScanner (default settings) over an MJPG video of `frames` as fast as it can."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_video(Path(tmp) / "decode.avi", frames)
        options = {"pace": "0", "stats_seconds": "0", "escalate_interval_ms": str(escalate_ms)}
        camera = CameraScanner.from_spec(str(path), options)
        started = ended = time.perf_counter()
        scans = 0
        try:
            while (event := camera.read(timeout=60)) is not None:
                if isinstance(event, Scan):
                    scans += 1
                elif event.state == "connected":
                    started = time.perf_counter()
                elif isinstance(event, ScannerStatus):
                    ended = time.perf_counter()
                    break
        finally:
            camera.close()
    return camera.stats().frames / max(ended - started, 1e-9), scans, camera


def run() -> None:
    """Print the figures beside the targets."""
    print(one_core())
    started = time.perf_counter()
    samples = photo_set(PHOTOS)
    print(f"{len(samples)} photos 800x600 made in {time.perf_counter() - started:.1f} s (seed 12)")
    readers = [("zxing-cpp default", zxing_default), ("pyzbar default", pyzbar_default),
               ("aisle decode (thorough)", aisle_decode)]  # fmt: skip
    results = {name: score(samples, reader) for name, reader in readers}
    counts = Counter(s.symbology for s in samples)
    print(f"{'symbology':18} {'photos':>6} " + " ".join(f"{name:>24}" for name, _ in readers))
    for symbology in [*KINDS, "all"]:
        n = counts[symbology] if symbology != "all" else len(samples)
        cells = [f"{r[symbology]:>5} ({r[symbology] / n:6.1%})" for r, _, _ in results.values()]
        print(f"{symbology:18} {n:>6} " + " ".join(f"{c:>24}" for c in cells))
    print(f"{'misreads':18} {'':>6} " + " ".join(f"{m:>24}" for _, m, _ in results.values()))
    print(f"{'ms per image':18} {'':>6} " + " ".join(f"{ms:>24.1f}" for _, _, ms in results.values()))
    best = max(results[name][0]["all"] for name, _ in readers[:2])
    ours = results["aisle decode (thorough)"][0]["all"]
    verdict = "MET" if ours > best else "NOT MET"
    print(f"aisle decode reads {ours}, best single library {best}   target: more than the best: {verdict}")
    frames = camera_frames(samples[:60])
    print(f"camera loop over {len(frames)} frames 1280x720 (60 photos, 4 frames each, on a cluttered bench):")
    for label, escalate_ms in (("escalation off", 0.0), ("escalation on (default)", 250.0)):
        fps, scans, camera = camera_loop(frames, escalate_ms)
        e = camera.escalation
        extra = (f", {e.escalated} frames escalated, {e.escalated_reads} read by escalation, "
                 f"{e.followed_reads} by following" if e else "")  # fmt: skip
        verdict = "MET" if fps >= TARGET_FPS else "NOT MET"
        print(f"  {label:24} {fps:6.1f} frames/s, {scans:3} codes counted{extra}   "
              f"target >= {TARGET_FPS:.0f} frames/s: {verdict}")  # fmt: skip


if __name__ == "__main__":
    run()
