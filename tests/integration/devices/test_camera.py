"""CameraScanner over generated videos: counts once, confirms, holds off, ROI, downscale, end, lost camera."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import CameraScanner, CameraSpecError
from devices.camera_source import FrameSource, SourceError
from devices.options import CameraOptions
from devices.scan import Scan, Scanner, ScannerEvent, ScannerStatus
from tests.support.barcodes import SAMPLES, place, sample_image, scene, write_video

EAN = SAMPLES["ean13"][3]


def ean_frames(count: int, **kw: float) -> list[np.ndarray]:
    return scene(sample_image("ean13", 2), count, **kw)


def empty(count: int) -> list[np.ndarray]:
    return scene(None, count)


def run_video(path: Path, timeout: float = 20, **options: str) -> list[ScannerEvent]:
    """Every event of a camera over the video until it reports the end (or `timeout`)."""
    camera = CameraScanner.from_spec(str(path), {"pace": "0", "stats_seconds": "0", **options})
    events: list[ScannerEvent] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            event = camera.read(0.2)
            if event is not None:
                events.append(event)
            if isinstance(event, ScannerStatus) and event.state == "disconnected":
                break
    finally:
        camera.close()
    return events


def scans(events: list[ScannerEvent]) -> list[str]:
    return [e.text for e in events if isinstance(e, Scan)]


def test_a_code_in_view_for_many_frames_counts_once(tmp_path: Path) -> None:
    events = run_video(write_video(tmp_path / "v.avi", empty(5) + ean_frames(90) + empty(5)))
    assert scans(events) == [EAN]
    (scan,) = [e for e in events if isinstance(e, Scan)]
    assert (scan.symbology, scan.aim, scan.source) == ("ean13", "]E0", f"camera:{tmp_path / 'v.avi'}")


def test_a_code_seen_in_fewer_than_confirm_frames_does_not_count(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", empty(5) + ean_frames(1) + empty(5) + ean_frames(1) + empty(5))
    assert scans(run_video(path, confirm_frames="2")) == []
    assert scans(run_video(path, confirm_frames="1", holdoff_seconds="0")) == [EAN, EAN]


def test_a_code_counts_again_only_after_the_holdoff_out_of_view(tmp_path: Path) -> None:
    # 30 frames/s media time: 15 empty frames are 0.5 s out of view, 60 are 2 s
    short_gap = write_video(tmp_path / "short.avi", ean_frames(10) + empty(15) + ean_frames(10))
    long_gap = write_video(tmp_path / "long.avi", ean_frames(10) + empty(60) + ean_frames(10))
    assert scans(run_video(short_gap, holdoff_seconds="1.5")) == [EAN]
    assert scans(run_video(long_gap, holdoff_seconds="1.5")) == [EAN, EAN]


def test_codes_outside_the_region_of_interest_are_ignored(tmp_path: Path) -> None:
    frames = scene(sample_image("ean13", 2), 10, center=(0.25, 0.5))
    path = write_video(tmp_path / "left.avi", frames)
    assert scans(run_video(path, roi="0.5,0,0.5,1")) == []
    assert scans(run_video(path, roi="0,0,0.5,1")) == [EAN]


def test_downscaling_reaches_the_decoder(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", scene(sample_image("ean13", 4), 10))
    assert scans(run_video(path, downscale="0.5")) == [EAN]  # 4 px/module → 2: still read
    assert scans(run_video(path, downscale="0.15")) == []  # 0.6 px/module: unreadable


def test_end_of_video_is_reported_once_and_the_camera_goes_quiet(tmp_path: Path) -> None:
    camera = CameraScanner.from_spec(str(write_video(tmp_path / "v.avi", empty(5))), {"pace": "0"})
    try:
        events = [camera.read(2.0) for _ in range(2)]
        assert [(e.state, e.detail) for e in events if isinstance(e, ScannerStatus)] == [
            ("connected", "video"),
            ("disconnected", "end of video"),
        ]
        assert camera.read(0.3) is None
        assert camera.stats().frames == 5
    finally:
        camera.close()


def test_a_missing_file_is_reported_as_disconnected_with_the_reason(tmp_path: Path) -> None:
    camera = CameraScanner.from_spec(str(tmp_path / "nope.avi"), {"reconnect_max_seconds": "0.1"})
    try:
        event = camera.read(2.0)
        assert isinstance(event, ScannerStatus) and event.state == "disconnected"
        assert "no such file" in event.detail
        assert camera.read(0.3) is None  # retries quietly, no status per attempt
    finally:
        camera.close()


def test_a_file_that_is_not_a_video_is_reported_not_raised(tmp_path: Path) -> None:
    bad = tmp_path / "bad.avi"
    bad.write_bytes(b"this is not a video")
    events = run_video(bad, timeout=3)
    assert isinstance(events[0], ScannerStatus) and events[0].state == "disconnected"


def test_a_still_image_is_read_like_a_camera_looking_at_it(tmp_path: Path) -> None:
    image = tmp_path / "label.png"
    cv2.imwrite(str(image), place(sample_image("gs1-datamatrix", 4), 640, 360))
    camera = CameraScanner.from_spec(str(image), {"pace": "0"})
    try:
        seen = [camera.read(1.0) for _ in range(3)]
    finally:
        camera.close()
    assert [e.symbology for e in seen if isinstance(e, Scan)] == ["gs1-datamatrix"]


class FlakyCamera(FrameSource):
    """A live camera that dies after a few frames once, then comes back (unplug and replug)."""

    def __init__(self, frame: np.ndarray) -> None:
        super().__init__("0")
        self.frame, self.opened, self.delivered = frame, 0, 0

    def open(self) -> None:
        self.opened += 1
        if self.opened == 2:
            raise SourceError("device 0 vanished")

    def read(self) -> tuple[np.ndarray, float]:
        self.delivered += 1
        if self.opened == 1 and self.delivered > 3:
            raise SourceError("camera 0 stopped delivering frames")
        time.sleep(0.01)
        return self.frame, time.monotonic()

    def close(self) -> None:
        pass


def test_a_lost_camera_is_reported_and_reopened() -> None:
    source = FlakyCamera(place(sample_image("ean13", 2), 640, 360))
    camera = CameraScanner(source, CameraOptions(), reconnect_max_seconds=0.2)
    try:
        events = [camera.read(3.0) for _ in range(5)]
        extra = camera.read(0.5)
    finally:
        camera.close()
    statuses = [(e.state, e.detail) for e in events if isinstance(e, ScannerStatus)]
    assert statuses[:4] == [
        ("connected", "device"),
        ("disconnected", "camera 0 stopped delivering frames"),
        ("disconnected", "device 0 vanished"),
        ("connected", "device"),
    ]
    assert scans(events) == [EAN]
    assert extra is None  # the code still in view after the reopen is not counted twice
    assert source.opened == 3


def test_broken_frames_are_skipped_without_stopping_the_camera() -> None:
    class Garbage(FlakyCamera):
        def read(self) -> tuple[np.ndarray, float]:
            self.delivered += 1
            time.sleep(0.005)
            return (np.zeros((0, 0), np.uint8) if self.delivered % 2 else self.frame), time.monotonic()

        def open(self) -> None:
            pass

    camera = CameraScanner(Garbage(place(sample_image("ean13", 2), 640, 360)), CameraOptions())
    try:
        deadline = time.monotonic() + 3
        while camera.stats().bad_frames < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert camera.stats().bad_frames >= 5
    finally:
        camera.close()


def test_the_camera_implements_the_scanner_protocol(tmp_path: Path) -> None:
    camera = CameraScanner.from_spec(str(write_video(tmp_path / "v.avi", empty(2))), {"pace": "0"})
    camera.close()
    assert isinstance(camera, Scanner)


@pytest.mark.parametrize(
    ("source", "options", "message"),
    [
        ("", {}, "needs a source"),
        ("0", {"zoom": "2"}, "unknown camera option 'zoom'"),
        ("0", {"decoder": "zbar"}, "zbar"),
        ("0", {"symbologies": "ean13,ean14"}, "ean14"),
        ("0", {"downscale": "2"}, "downscale"),
    ],
)
def test_wrong_specs_are_refused_with_a_message_naming_the_problem(
    source: str, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CameraSpecError, match=message):
        CameraScanner.from_spec(source, options, None)
