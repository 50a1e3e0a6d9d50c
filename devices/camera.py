"""Camera scanner: OpenCV capture and software decoding in a background thread, scans through a queue.

Spec strings (see README, "Camera"): ``camera:0``, ``camera:/path/video.mp4?loop=1``, ``camera:rtsp://host/stream``.
Every [camera] setting can be overridden per scanner as an option (``?downscale=0.5&roi=0.25,0.25,0.5,0.5``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time

import cv2
import numpy as np

from devices.camera_decode import decode_frame, prepare, unambiguous
from devices.camera_source import EndOfVideo, FrameSource, SourceError
from devices.camera_stats import CameraStats, StatsMeter
from devices.camera_tracker import CodeTracker
from devices.decoders import ZxingTuning, check_symbologies, resolve_backend
from devices.escalation import Escalation
from devices.options import CameraOptions
from devices.scan import Scan, ScannerEvent, ScannerStatus

log = logging.getLogger(__name__)

_SOURCE_OPTIONS = {"fps", "loop", "pace", "width", "height", "reconnect_max_seconds", "stats_seconds"}
_TRUE = {"1", "true", "yes", "on"}


class CameraSpecError(ValueError):
    """A camera spec or option is wrong; the message names it."""


def camera_option_names() -> set[str]:
    """Every option a camera spec may carry after ``?``: source options and [camera] settings."""
    return set(_SOURCE_OPTIONS) | CameraOptions.names()


class CameraScanner:
    """A Scanner over a camera, video file, still image or stream; decoding runs off the caller's thread.

    `read(timeout)` returns Scans, and ScannerStatus events: connected, disconnected with the reason
    (camera lost, missing file, "end of video"), and every `stats_seconds` a "connected" status whose
    detail carries the frame rate and decode time (also available from `stats()`).
    """

    def __init__(self, frames: FrameSource, camera: CameraOptions, *, reconnect_max_seconds: float = 5.0,
                 stats_seconds: float = 5.0) -> None:  # fmt: skip
        self.source = f"camera:{frames.source}"
        self.settings = camera
        self.backend = resolve_backend(camera.decoder)
        self.symbologies = check_symbologies(camera.symbologies)
        self.tuning = ZxingTuning()
        interval = camera.escalate_interval_ms / 1000
        self.escalation = Escalation(self.symbologies, interval) if interval > 0 else None
        self._frames = frames
        self._reconnect_max = reconnect_max_seconds
        self._stats_seconds = stats_seconds
        self._tracker: CodeTracker[tuple[str, str]] = CodeTracker(
            camera.confirm_frames, camera.holdoff_seconds
        )
        self._meter = StatsMeter()
        self._events: queue.Queue[ScannerEvent] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"aisle-{self.source}", daemon=True)
        self._thread.start()

    @classmethod
    def from_spec(
        cls, source: str, options: dict[str, str], camera: CameraOptions | None = None
    ) -> CameraScanner:
        """Build from the part after ``camera:`` and its ``?key=value`` options.

        Raises CameraSpecError naming a wrong option or setting.
        """
        if not source:
            raise CameraSpecError(
                "camera spec needs a source: camera:0, camera:/path/video.mp4 or camera:rtsp://…"
            )
        overrides: dict[str, str] = {}
        for key, value in options.items():
            if key in _SOURCE_OPTIONS:
                continue
            if key not in CameraOptions.names():
                known = ", ".join(sorted(_SOURCE_OPTIONS | CameraOptions.names()))
                raise CameraSpecError(f"unknown camera option {key!r}; known: {known}")
            overrides[key] = value
        try:
            settings = (camera or CameraOptions()).override(overrides)
            frames = FrameSource(
                source,
                fps=float(options.get("fps", 0)),
                loop=options.get("loop", "0").lower() in _TRUE,
                pace=options.get("pace", "1").lower() in _TRUE,
                width=int(options.get("width", 0)),
                height=int(options.get("height", 0)),
            )
            return cls(
                frames,
                settings,
                reconnect_max_seconds=float(options.get("reconnect_max_seconds", 5.0)),
                stats_seconds=float(options.get("stats_seconds", 5.0)),
            )
        except ValueError as exc:
            raise CameraSpecError(f"camera:{source}: {exc}") from None

    def read(self, timeout: float) -> ScannerEvent | None:
        """The next scan or status, waiting at most `timeout` seconds."""
        try:
            return self._events.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def close(self) -> None:
        """Stop the capture thread and release the camera."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def stats(self) -> CameraStats:
        """Frames per second and decode time over the last few seconds, and totals."""
        return self._meter.snapshot()

    # --- capture thread -------------------------------------------------------------------------------------

    def _status(self, state: str, detail: str = "") -> None:
        self._events.put(ScannerStatus(state, self.source, detail))

    def _run(self) -> None:
        backoff = 0.5
        lost_reason = ""
        while not self._stop.is_set():
            try:
                self._frames.open()
            except SourceError as exc:
                if str(exc) != lost_reason:
                    lost_reason = str(exc)
                    self._status("disconnected", lost_reason)
                    log.warning("%s: %s; retrying", self.source, exc)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self._reconnect_max)
                continue
            backoff, lost_reason = 0.5, ""
            if self._frames.is_file:  # media time restarts; a live camera keeps its hold-off across a glitch
                self._tracker.reset()
            self._status("connected", self._frames.kind)
            reason = self._capture()
            self._frames.close()
            if reason is None:
                return  # closed
            self._status("disconnected", reason)
            if reason == "end of video":
                self._stop.wait()  # a finished file stays finished: no spinning, no reopening
                return
            lost_reason = reason

    def _capture(self) -> str | None:
        """Read and decode frames until closed (None) or the source fails (the reason)."""
        last_stats = time.monotonic()
        while not self._stop.is_set():
            try:
                frame, stamp = self._frames.read()
            except EndOfVideo:
                return "end of video"
            except SourceError as exc:
                return str(exc)
            except cv2.error as exc:
                return f"capture failed: {exc}"
            self._process(frame, stamp)
            if self._stats_seconds and time.monotonic() - last_stats >= self._stats_seconds:
                last_stats = time.monotonic()
                self._status("connected", self._meter.snapshot().summary())
        return None

    def _process(self, frame: np.ndarray, stamp: float) -> None:
        started = time.perf_counter()
        try:
            gray = prepare(frame, self.settings)
            found = decode_frame(
                gray, self.backend, self.symbologies, self.tuning, self.settings.deskew_degrees
            )
            if self.escalation is not None:
                found = self.escalation.after_fast_pass(gray, found)
        except (ValueError, cv2.error) as exc:  # a broken frame must not stop the camera
            self._meter.add(time.perf_counter() - started, bad=True)
            log.debug("%s: skipped a bad frame: %s", self.source, exc)
            return
        self._meter.add(time.perf_counter() - started, read=bool(found))
        by_key = {d.key: d for d in unambiguous(found)}
        for key in self._tracker.update(by_key, stamp):
            d = by_key[key]
            self._events.put(Scan(d.text, d.raw, d.symbology, d.aim, d.gs1, source=self.source))
            self._meter.scans += 1
