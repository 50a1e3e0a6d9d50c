"""Camera escalation: a frame the fast pass read nothing in, but that looks like it holds a code, gets the
thorough pass (devices.decode_thorough) on the regions that look like codes, at most once per interval.

"Looks like a code" is a cheap gradient test on a quarter-size copy of the frame (about 1 ms at 1280x720):
cells of 16x16 px whose mean gradient is strong, grouped into blobs; a blob large and dense enough is a
candidate region. Text, box edges and clutter pass the test too; that is why escalation is rate-limited: the
next one may start `interval_s` after the last one ended, or three times its duration if that is longer, so
escalation takes at most about a quarter of the loop's time and the camera keeps its frame rate whatever
it is looking at.

A code found this way is then followed: for `follow_s` seconds the next frames that the fast pass misses get
the thorough pass on the code's region only (small, so cheap), so that it is seen in `confirm_frames`
consecutive frames and counts like any other read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from devices.decode_thorough import decode_thorough
from devices.decoders import Decoded

CELL = 16  # px of the full frame per cell of the gradient test
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in frame pixels


def candidate_regions(gray: np.ndarray, limit: int = 2) -> list[Box]:
    """Up to `limit` regions of `gray` dense with strong edges (largest first), padded by a quiet zone."""
    h, w = gray.shape[:2]
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_16S, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_16S, 0, 1, ksize=3)
    magnitude = cv2.addWeighted(cv2.convertScaleAbs(gx), 0.5, cv2.convertScaleAbs(gy), 0.5, 0)
    cells = cv2.resize(magnitude, (max(1, w // CELL), max(1, h // CELL)), interpolation=cv2.INTER_AREA)
    threshold = max(18.0, 3.0 * float(np.median(cells)))
    strong = (cells > threshold).astype(np.uint8)
    mask = cv2.morphologyEx(strong, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = []
    for x, y, bw, bh, area in stats[1:count]:
        if area >= 6 and area >= 0.4 * bw * bh:
            box = (int(x) * CELL, int(y) * CELL, int(x + bw) * CELL, int(y + bh) * CELL)
            blobs.append((int(area), _padded(box, w, h)))
    return [box for _, box in sorted(blobs, reverse=True)[:limit]]


def _padded(box: Box, width: int, height: int, share: float = 0.3, least: int = 24) -> Box:
    x0, y0, x1, y1 = box
    px, py = max(least, int((x1 - x0) * share)), max(least, int((y1 - y0) * share))
    return (max(0, x0 - px), max(0, y0 - py), min(width, x1 + px), min(height, y1 + py))


@dataclass
class Escalation:
    """Decides which frames get the thorough pass, runs it, and counts what it did (see module docstring)."""

    symbologies: tuple[str, ...]
    interval_s: float = 0.25
    follow_s: float = 1.0
    budget_s: float = (
        0.06  # longest thorough pass of one escalated frame (stage 1 of each region always runs)
    )
    clock: Callable[[], float] = time.monotonic
    escalated: int = 0  # frames given the thorough pass on their candidate regions
    escalated_reads: int = 0  # of those, frames where it read a code
    followed_reads: int = 0  # frames read by following a code found by escalation
    _next: float = field(default=float("-inf"), repr=False)
    _follow: tuple[Box, float] | None = field(default=None, repr=False)

    def after_fast_pass(self, gray: np.ndarray, found: list[Decoded]) -> list[Decoded]:
        """The reads for this frame: the fast pass's when it read something, else what escalation finds."""
        if found:
            return found
        now = self.clock()
        if self._follow is not None:
            box, until = self._follow
            if now <= until:
                read = self._thorough(gray, [box], deep=False)
                if read:
                    self.followed_reads += 1
                    self._follow = (_around(read, gray.shape), now + self.follow_s)
                    return read
            else:
                self._follow = None
        if now < self._next:
            return []
        regions = candidate_regions(gray)
        if not regions:
            return []
        self.escalated += 1
        read = self._thorough(gray, regions, deep=True)
        ended = self.clock()
        self._next = ended + max(self.interval_s, 3 * (ended - now))
        if read:
            self.escalated_reads += 1
            self._follow = (_around(read, gray.shape), now + self.follow_s)
        return read

    def _thorough(self, gray: np.ndarray, regions: list[Box], deep: bool) -> list[Decoded]:
        out: list[Decoded] = []
        deadline = time.perf_counter() + self.budget_s
        for x0, y0, x1, y1 in regions:
            crop = gray[y0:y1, x0:x1]
            for d in decode_thorough(crop, self.symbologies, deep=deep, deadline=deadline):
                moved = tuple((x + x0, y + y0) for x, y in d.position)
                out.append(Decoded(d.text, d.raw, d.symbology, d.aim, d.gs1, moved))
        return out


def _around(found: list[Decoded], shape: tuple[int, ...]) -> Box:
    points = [p for d in found for p in d.position]
    if not points:
        return (0, 0, shape[1], shape[0])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _padded((min(xs), min(ys), max(xs), max(ys)), shape[1], shape[0], share=0.5, least=48)
