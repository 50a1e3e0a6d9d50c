"""Scripted scanner: one scan per line, comments, escapes for GS, AIM prefixes, pauses and looping."""

from __future__ import annotations

import time
from pathlib import Path

from devices.scan import GS, Scan, ScannerEvent, ScannerStatus
from devices.script_scanner import ScriptScanner


def read_all(scanner: ScriptScanner, within: float = 3.0) -> list[ScannerEvent]:
    events: list[ScannerEvent] = []
    deadline = time.monotonic() + within
    while not scanner.exhausted and time.monotonic() < deadline:
        event = scanner.read(0.1)
        if event is not None:
            events.append(event)
    return events


def test_script_lines_become_scans_in_order(tmp_path: Path) -> None:
    path = tmp_path / "scans.txt"
    path.write_text(
        "# a picker's morning\n\nA-03-02-1\n]C10104006381333931<GS>10LOT\n01040063813339311\\x1d21X\n"
    )
    scanner = ScriptScanner(path)
    status, *scans = read_all(scanner)
    assert isinstance(status, ScannerStatus) and status.state == "connected" and status.detail == "3 scans"
    assert all(isinstance(s, Scan) for s in scans)
    assert [(s.text, s.aim, s.gs1) for s in scans if isinstance(s, Scan)] == [
        ("A-03-02-1", None, False),
        (f"0104006381333931{GS}10LOT", "]C1", True),
        (f"01040063813339311{GS}21X", None, False),
    ]
    assert scans[0].source == f"script:{path}"
    assert scanner.exhausted and scanner.read(0.05) is None


def test_sleep_lines_pause_between_scans(tmp_path: Path) -> None:
    path = tmp_path / "scans.txt"
    path.write_text("ONE\nsleep 0.3\nTWO\n")
    scanner = ScriptScanner(path)
    scanner.read(0.1)
    first = scanner.read(1.0)
    assert isinstance(first, Scan)
    assert scanner.read(0.1) is None  # still sleeping
    second = None
    while second is None:
        second = scanner.read(0.5)
    assert isinstance(second, Scan) and second.monotonic - first.monotonic >= 0.29


def test_loop_starts_again_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "scans.txt"
    path.write_text("A\nB\n")
    scanner = ScriptScanner(path, loop=True)
    scanner.read(0.1)
    texts = [e.text for e in (scanner.read(0.5) for _ in range(5)) if isinstance(e, Scan)]
    assert texts == ["A", "B", "A", "B", "A"] and not scanner.exhausted
