"""`aisle decode IMAGE…`: one line per barcode, GS shown as <GS>, non-zero exit when an image has none."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.cli import main
from tests.support.barcodes import place, sample_image


def image(tmp_path: Path, name: str, frame: np.ndarray) -> str:
    path = tmp_path / name
    cv2.imwrite(str(path), frame)
    return str(path)


def test_each_barcode_is_printed_with_symbology_aim_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gs1 = image(tmp_path, "gs1.png", place(sample_image("gs1-128"), 1280, 360))
    ean = image(tmp_path, "ean.png", place(sample_image("ean13"), 640, 360))
    assert main(["decode", gs1, ean]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{gs1}\tgs1-128 (]C1)\t010950600013435210LOT42<GS>17260101",
        f"{ean}\tean13 (]E0)\t4006381333931",
    ]


@pytest.mark.parametrize("decoder", ["zxing", "pyzbar"])
def test_the_decoder_can_be_chosen(tmp_path: Path, capsys: pytest.CaptureFixture[str], decoder: str) -> None:
    qr = image(tmp_path, "qr.png", place(sample_image("qrcode", 4), 640, 360))
    assert main(["decode", "--decoder", decoder, qr]) == 0
    assert capsys.readouterr().out == f"{qr}\tqrcode (]Q1)\tT-0042\n"


def test_an_image_without_a_barcode_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = image(tmp_path, "blank.png", np.full((360, 640), 200, np.uint8))
    ean = image(tmp_path, "ean.png", place(sample_image("ean13"), 640, 360))
    assert main(["decode", ean, blank]) == 1
    out = capsys.readouterr()
    assert "4006381333931" in out.out
    assert f"{blank}: no barcode found" in out.err


def test_unreadable_and_missing_files_are_named_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert main(["decode", str(text), str(tmp_path / "gone.png")]) == 1
    err = capsys.readouterr().err
    assert f"{text}: not an image OpenCV can read" in err
    assert f"{tmp_path / 'gone.png'}: no such file" in err
    assert "Traceback" not in err
