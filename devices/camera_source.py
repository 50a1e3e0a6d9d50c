"""Where camera frames come from: a device index, a video file, a still image or a stream URL (OpenCV)."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})


class SourceError(Exception):
    """The source cannot be opened or read; the message says why (shown in a ScannerStatus)."""


class EndOfVideo(SourceError):
    """A video file has no more frames."""


class FrameSource:
    """Frames from OpenCV's VideoCapture (device, file or URL) or from a still image repeated like a camera.

    `read()` returns (frame, media time in seconds) or raises SourceError / EndOfVideo. Files are paced at
    their own frame rate when `pace` is true (a camera delivers frames in real time); tests turn it off.
    """

    def __init__(self, source: str, *, fps: float = 0.0, loop: bool = False, pace: bool = True,
                 width: int = 0, height: int = 0) -> None:  # fmt: skip
        self.source = source
        self.kind = kind_of(source)
        self.loop = loop
        self.pace = pace
        self._size = (width, height)
        self._fps = fps
        self._cap: cv2.VideoCapture | None = None
        self._still: np.ndarray | None = None
        self._index = 0
        self._started = 0.0

    @property
    def is_file(self) -> bool:
        """Video files and still images: their time is media time, and they can end."""
        return self.kind in ("video", "image")

    def open(self) -> None:
        """Open the source; raise SourceError with a reason an installer understands."""
        self.close()
        if self.is_file and not Path(self.source).exists():
            raise SourceError(f"no such file: {self.source}")
        if self.kind == "image":
            still = cv2.imread(self.source, cv2.IMREAD_COLOR)
            if still is None:
                raise SourceError(f"not an image OpenCV can read: {self.source}")
            self._still = still
            self._fps = self._fps or 30.0
        else:
            target: int | str = int(self.source) if self.kind == "device" else self.source
            cap = cv2.VideoCapture(target)
            if not cap.isOpened():
                cap.release()
                raise SourceError(f"cannot open {self.kind} {self.source}")
            if self.kind == "device" and all(self._size):
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1])
            self._fps = self._fps or cap.get(cv2.CAP_PROP_FPS) or 30.0
            self._cap = cap
        self._index = 0
        self._started = time.monotonic()

    def read(self) -> tuple[np.ndarray, float]:
        """The next frame and its time (media time for files, monotonic for live sources)."""
        if self._still is not None:
            frame = self._still
        elif self._cap is None:
            raise SourceError("source is not open")
        else:
            ok, frame = self._cap.read()
            if not ok and self.kind == "video" and self.loop and self._index > 0:
                self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self._cap.read()
            if not ok or frame is None:
                if self.kind == "video":
                    raise EndOfVideo("end of video")
                raise SourceError(f"{self.kind} {self.source} stopped delivering frames")
        stamp = self._index / self._fps if self.is_file else time.monotonic()
        self._index += 1
        if self.is_file and self.pace:
            delay = self._started + stamp - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        return frame, stamp

    def close(self) -> None:
        """Release the device or file."""
        if self._cap is not None:
            self._cap.release()
        self._cap = None
        self._still = None


def kind_of(source: str) -> str:
    """device (an index like 0), url (rtsp://, http://…), image (a still picture) or video (other paths)."""
    if source.isdigit():
        return "device"
    if "://" in source:
        return "url"
    if Path(source).suffix.lower() in IMAGE_SUFFIXES:
        return "image"
    return "video"
