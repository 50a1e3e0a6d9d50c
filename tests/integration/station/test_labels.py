"""`aisle labels commands`: every command label on the sheet scans back as its text."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image

from app.cli import main
from app.cli.labels import COMMANDS


def test_the_png_sheet_holds_every_command_label_readable_by_a_decoder(tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    assert main(["labels", "commands", "--out", str(out)]) == 0
    found = {r.text for r in zxingcpp.read_barcodes(Image.open(out))}
    assert found == {f"CMD-{code}" for code, _ in COMMANDS}


def test_the_pdf_sheet_is_written(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    assert main(["labels", "commands", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_an_unknown_sheet_format_is_refused_with_what_to_use(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["labels", "commands", "--out", str(tmp_path / "sheet.svg")]) == 2
    assert "use a .pdf or .png" in capsys.readouterr().err
