"""Frame rate and decode time of a camera scanner, over a sliding window and in total."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CameraStats:
    """What the camera loop achieves: frames/s and mean decode time lately, and totals."""

    fps: float
    decode_ms: float
    frames: int
    frames_with_reads: int
    bad_frames: int
    scans: int

    def summary(self) -> str:
        """One line for a status bar: ``29.8 fps, decode 9.1 ms``."""
        return f"{self.fps:.1f} fps, decode {self.decode_ms:.1f} ms"


class StatsMeter:
    """Collects one sample per frame (thread-safe): when it was decoded and how long decoding took."""

    def __init__(self, window: float = 3.0) -> None:
        self.window = window
        self.frames = 0
        self.frames_with_reads = 0
        self.bad_frames = 0
        self.scans = 0
        self._samples: deque[tuple[float, float]] = deque()
        self._lock = threading.Lock()

    def add(self, decode_seconds: float, *, read: bool = False, bad: bool = False) -> None:
        """Record one frame."""
        now = time.monotonic()
        with self._lock:
            self.frames += 1
            self.frames_with_reads += read
            self.bad_frames += bad
            self._samples.append((now, decode_seconds))
            while self._samples and now - self._samples[0][0] > self.window:
                self._samples.popleft()

    def snapshot(self) -> CameraStats:
        """The figures now."""
        with self._lock:
            samples = list(self._samples)
            frames, reads, bad, scans = self.frames, self.frames_with_reads, self.bad_frames, self.scans
        fps = 0.0
        if len(samples) > 1:
            span = samples[-1][0] - samples[0][0]
            fps = (len(samples) - 1) / span if span > 0 else 0.0
        decode_ms = 1000 * sum(s for _, s in samples) / len(samples) if samples else 0.0
        return CameraStats(fps, decode_ms, frames, reads, bad, scans)
