"""`aisle scan`: what an installer sees for scripted scans, and a bad spec refused with a usable message."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main


def test_aisle_scan_prints_each_scan_and_its_meaning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text("# installer check\n]C10104006381333931<GS>10LOT7\n4006381333932\nA-03-02-1\nT-0042\n")
    products = tmp_path / "products.csv"
    products.write_text("sku,name,barcode,units\nMUG-RED,Red Mug 350ml,4006381333931,1\n")
    assert main(["scan", "--scanner", f"script:{scans}", "--catalogue", str(products)]) == 0
    out = capsys.readouterr().out
    assert "CONNECTED" in out
    assert "[]C1 gs1-128 GS1]  0104006381333931<GS>10LOT7" in out
    assert "→ product Red Mug 350ml (MUG-RED) × 1 (GTIN 04006381333931, lot LOT7)" in out
    assert "→ INVALID: EAN-13 check digit is wrong (expected 1, got 2)" in out
    assert "→ location A-03-02-1" in out
    assert "→ tote T-0042" in out


def test_aisle_scan_without_catalogue_calls_products_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text("4006381333931\n")
    assert main(["scan", "--scanner", f"script:{scans}", "--count", "1"]) == 0
    assert "→ UNKNOWN: EAN-13 4006381333931 is not in the catalogue" in capsys.readouterr().out


def test_aisle_scan_with_a_bad_spec_exits_2_showing_a_valid_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--scanner", "usb:/dev/ttyACM0"]) == 2
    err = capsys.readouterr().err
    assert "unknown scanner kind 'usb'" in err and "serial:/dev/ttyACM0?baudrate=9600&suffix=CR" in err
