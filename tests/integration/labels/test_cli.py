"""`aisle labels parcel`: the check a shop runs after editing its parcel.zpl.j2, and a sample label."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.labels.zpl import BUILTIN_TEMPLATES, TEMPLATE


def test_the_sample_zpl_label_follows_the_configured_dpi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AISLE_CONFIG", str(tmp_path / "c.toml"))
    (tmp_path / "c.toml").write_text("[shipping]\nlabel_dpi = 300\n")
    out = tmp_path / "sample.zpl"
    assert main(["labels", "parcel", "--out", str(out)]) == 0
    assert b"^PW1200" in out.read_bytes()
    assert "is fine" in capsys.readouterr().out


def test_the_sample_pdf_label_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AISLE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no config.toml here: the defaults
    assert main(["labels", "parcel", "--out", "sample.pdf"]) == 0
    assert (tmp_path / "sample.pdf").read_bytes().startswith(b"%PDF-")


def test_a_broken_shop_template_is_named_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = tmp_path / "templates"
    shop.mkdir()
    text = (BUILTIN_TEMPLATES / TEMPLATE).read_text().replace("{{ label.carrier }}", "{{ label.carier }}")
    (shop / TEMPLATE).write_text(text)
    line = 1 + text.splitlines().index(next(x for x in text.splitlines() if "label.carier" in x))
    (tmp_path / "c.toml").write_text(f"[shipping]\nlabel_template_dir = '{shop}'\n")
    monkeypatch.setenv("AISLE_CONFIG", str(tmp_path / "c.toml"))
    assert main(["labels", "parcel", "--out", str(tmp_path / "s.zpl")]) == 2
    assert f"parcel.zpl.j2, line {line}: " in capsys.readouterr().err
    assert not (tmp_path / "s.zpl").exists()
