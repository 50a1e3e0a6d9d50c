"""`aisle printer check` and `aisle printer test` against a folder printer and a refused TCP port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.cli import main


def test_check_prints_reachability_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "check", f"file://{tmp_path}"]) == 0
    assert capsys.readouterr().out.strip() == f"file://{tmp_path}: reachable; ready"


def test_check_an_unreachable_printer_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    assert main(["printer", "check", f"tcp://127.0.0.1:{port}"]) == 1
    assert "NOT reachable; cannot connect" in capsys.readouterr().out


def test_test_sends_a_zpl_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "test", f"file://{tmp_path}"]) == 0
    label = (tmp_path / "job-000001.zpl").read_bytes()
    assert label.startswith(b"^XA") and label.rstrip().endswith(b"^XZ") and b"^BC" in label
    assert "test label sent" in capsys.readouterr().out


def test_a_bad_spec_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "check", "lpt:1"]) == 2
    assert "unknown printer kind 'lpt'" in capsys.readouterr().err
