"""Settings: config.toml documents every setting with its default; env overrides; wrong settings are named."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from app.config import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[3]


def test_config_toml_lists_every_setting_with_its_default() -> None:
    data = tomllib.loads((ROOT / "config.toml").read_text())
    defaults = Settings().model_dump()
    assert data == defaults


def test_every_setting_in_config_toml_has_a_comment_above_it() -> None:
    lines = (ROOT / "config.toml").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+\s*=", line):
            assert lines[i - 1].startswith("#"), f"config.toml line {i + 1} ({line}) has no comment"


def test_environment_overrides_a_setting() -> None:
    s = load_settings(
        ROOT / "config.toml", {"AISLE_SERVER__PORT": "9001", "AISLE_CAMERA__SYMBOLOGIES": "ean13,qrcode"}
    )
    assert s.server.port == 9001
    assert s.camera.symbologies == ["ean13", "qrcode"]


def test_wrong_value_stops_start_up_naming_the_setting(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[server]\nport = 'eighty'\n")
    with pytest.raises(SettingsError, match=r"server\.port"):
        load_settings(bad, {})


def test_unknown_setting_is_refused_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[station]\nstaton_id = 'X'\n")
    with pytest.raises(SettingsError, match=r"unknown setting 'station\.staton_id'"):
        load_settings(bad, {})


def test_unknown_environment_setting_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="AISLE_SERVER__PROT"):
        load_settings(ROOT / "config.toml", {"AISLE_SERVER__PROT": "1"})


def test_broken_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[server\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(bad, {})
