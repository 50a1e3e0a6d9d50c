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


def test_aisle_scan_shows_every_gs1_element_of_an_unknown_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GS1-128, DataBar, ITF-14, GS1 DataMatrix and QR: the installer sees the parse, not only "unknown"."""
    scans = tmp_path / "scans.txt"
    scans.write_text(
        "]C10109506000134352"
        "10ABC123<GS>17271231\n"
        "]e00109506000134352\n"
        "]I110012345678902\n"
        "]d20109506000134352"
        "17270200<GS>3103000450\n"
        "]Q30109506000134352"
        "21SER1<GS>3712\n"
    )
    assert main(["scan", "--scanner", f"script:{scans}"]) == 0
    out = [line.strip() for line in capsys.readouterr().out.splitlines()]
    gs1_128 = out.index("→ UNKNOWN: GTIN 09506000134352 is not in the catalogue")
    assert out[gs1_128 + 1 : gs1_128 + 4] == [
        "(01) GTIN              09506000134352",
        "(10) BATCH/LOT         ABC123",
        "(17) USE BY or EXPIRY  2027-12-31",
    ]
    databar = out.index("→ UNKNOWN: GTIN 09506000134352 is not in the catalogue", gs1_128 + 1)
    assert out[databar + 1] == "(01) GTIN  09506000134352"
    itf14 = out.index("→ UNKNOWN: GTIN-14 10012345678902 is not in the catalogue")
    assert out[itf14 + 1] == "(01) GTIN  10012345678902"
    assert "(3103) NET WEIGHT (kg)  0.450" in out and "(17) USE BY or EXPIRY   2027-02-28" in out
    assert "(21) SERIAL  SER1" in out and "(37) COUNT   12" in out


def test_aisle_scan_shows_the_elements_of_a_known_product_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text("]C1010400638133393110LOT7\n")
    products = tmp_path / "products.csv"
    products.write_text("sku,name,barcode,units\nMUG-RED,Red Mug 350ml,4006381333931,1\n")
    assert main(["scan", "--scanner", f"script:{scans}", "--catalogue", str(products)]) == 0
    out = [line.strip() for line in capsys.readouterr().out.splitlines()]
    known = out.index("→ product Red Mug 350ml (MUG-RED) × 1 (GTIN 04006381333931, lot LOT7)")
    assert out[known + 1 : known + 3] == ["(01) GTIN       04006381333931", "(10) BATCH/LOT  LOT7"]
