"""Issue 12.5: ITF-14 and DataBar read with their AIM ids, distorted photos read by the thorough pass, and
the camera's escalation of frames the fast pass missed."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.cli import main
from app.config import CameraSettings
from devices.camera import CameraScanner
from devices.decoders import check_symbologies, installed_backends, show_gs
from devices.escalation import Escalation
from devices.scan import Scan
from tests.integration.devices.test_camera import run_video
from tests.support.barcodes import GS, barcode_image, place, sample_image, write_video
from tests.support.photo_set import photo_at

pytestmark = pytest.mark.skipif(len(installed_backends()) < 2, reason="needs zxing-cpp and pyzbar")
CASE = "14006381333938"  # GTIN-14 of a case (indicator 1)
EXPANDED = "(01)04006381333931(3103)001250(15)270131(10)L42"
#: (writer input, zxing-cpp format, symbology, AIM id, GS1 flag, text)
GS1_CODES = [
    (CASE, "ITF14", "itf-14", "]I1", False, CASE),
    ("(01)04006381333931", "DataBarOmni", "databar", "]e0", True, "0104006381333931"),
    (EXPANDED, "DataBarExp", "databar-expanded", "]e0", True, "010400638133393131030012501527013110L42"),
]
SYMBOLOGIES = tuple(CameraSettings.model_validate({}).symbologies)


def write(tmp_path: Path, name: str, frame: np.ndarray) -> str:
    path = tmp_path / name
    cv2.imwrite(str(path), frame)
    return str(path)


def test_the_default_symbologies_and_the_config_accept_the_case_and_fresh_food_codes() -> None:
    assert {"itf-14", "databar", "databar-expanded"} <= set(SYMBOLOGIES)
    assert check_symbologies(["ITF", "itf-14", "databar", "databar-expanded"]) == (
        "itf", "itf-14", "databar", "databar-expanded")  # fmt: skip
    camera = CameraScanner.from_spec("/nonexistent.avi", {"symbologies": "itf,databar-expanded"})
    try:
        assert camera.symbologies == ("itf", "databar-expanded")
    finally:
        camera.close()


@pytest.mark.parametrize(("content", "fmt", "symbology", "aim", "gs1", "text"), GS1_CODES)
def test_aisle_decode_reads_itf14_and_databar_with_their_aim_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fmt: str, symbology: str, aim: str,
    gs1: bool, text: str,
) -> None:  # fmt: skip
    path = write(tmp_path, "code.png", place(barcode_image(content, fmt, module_px=3), 1280, 480))
    assert main(["decode", path]) == 0
    assert capsys.readouterr().out == f"{path}\t{symbology} ({aim})\t{show_gs(text)}\n"


@pytest.mark.parametrize(("content", "fmt", "symbology", "aim", "gs1", "text"), GS1_CODES)
def test_the_camera_scans_itf14_and_databar_with_their_aim_ids(
    tmp_path: Path, content: str, fmt: str, symbology: str, aim: str, gs1: bool, text: str
) -> None:
    frame = place(barcode_image(content, fmt, module_px=3), 1280, 480)
    scans = camera_scans(write_video(tmp_path / "v.avi", [frame] * 10), escalate_interval_ms="0")
    assert [(s.symbology, s.aim, s.gs1, s.text) for s in scans] == [(symbology, aim, gs1, text)]


@pytest.mark.parametrize("index", [17, 18, 32])  # GS1-128 slanted, ITF-14 blurred, DataBar Expanded glare
def test_a_distorted_photo_zxing_misses_is_read_by_aisle_decode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], index: int
) -> None:
    import zxingcpp

    sample = photo_at(index)
    library = [r.text for r in zxingcpp.read_barcodes(sample.image, text_mode=zxingcpp.TextMode.Plain)]
    assert sample.expected not in library  # the premise: zxing-cpp's defaults miss it
    path = write(tmp_path, sample.name, sample.image)
    assert main(["decode", path]) == 0
    assert show_gs(sample.expected) in capsys.readouterr().out.replace(GS, "<GS>")


def inverted_ean_frame() -> np.ndarray:
    """A light-on-dark EAN-13: the camera's fast pass (no inversion) misses it."""
    return place(255 - np.pad(sample_image("ean13", 2), 10, constant_values=255), 640, 360)


def test_escalation_reads_a_frame_the_fast_pass_missed_then_follows_the_code() -> None:
    now = [100.0]
    escalation = Escalation(SYMBOLOGIES, interval_s=0.25, follow_s=1.0, clock=lambda: now[0])
    gray = cv2.cvtColor(inverted_ean_frame(), cv2.COLOR_BGR2GRAY)
    assert escalation.after_fast_pass(np.full_like(gray, 200), []) == []  # nothing code-like: not escalated
    assert escalation.escalated == 0
    assert [d.text for d in escalation.after_fast_pass(gray, [])] == ["4006381333931"]
    now[0] += 0.1  # the next frame: the code's region is read again without a new escalation
    assert [d.text for d in escalation.after_fast_pass(gray, [])] == ["4006381333931"]
    assert (escalation.escalated, escalation.escalated_reads, escalation.followed_reads) == (1, 1, 1)
    assert escalation.after_fast_pass(gray, found := [object()]) is found  # type: ignore[list-item]


def test_escalation_runs_at_most_once_per_interval() -> None:
    now = [100.0]
    escalation = Escalation(SYMBOLOGIES, interval_s=0.25, clock=lambda: now[0])
    rng = np.random.default_rng(1)
    busy = np.full((360, 640), 200, np.uint8)
    busy[100:260, 150:490] = rng.integers(0, 2, (160, 340)).astype(np.uint8) * 255  # code-like, no code
    for step, escalated in ((0.0, 1), (0.1, 1), (0.1, 1), (0.1, 2), (0.05, 2), (0.25, 3)):
        now[0] += step
        assert escalation.after_fast_pass(busy, []) == []
        assert escalation.escalated == escalated


def test_the_camera_escalates_a_code_its_fast_pass_misses_and_counts_it_once(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", [inverted_ean_frame()] * 30)
    assert camera_scans(path, escalate_interval_ms="0") == []
    scans = camera_scans(path)
    assert [(s.text, s.symbology, s.aim) for s in scans] == [("4006381333931", "ean13", "]E0")]


def camera_scans(path: Path, **options: str) -> list[Scan]:
    """The scans a camera counts over the whole video."""
    return [e for e in run_video(path, **options) if isinstance(e, Scan)]
