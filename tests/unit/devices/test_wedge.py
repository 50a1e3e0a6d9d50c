"""Keyboard wedge: a fast burst ending in Enter is a scan, slow typing is typing, GS comes back."""

from __future__ import annotations

from devices.scan import GS, Scan
from devices.wedge import TypedText, WedgeDetector, WedgeResult


def feed(detector: WedgeDetector, text: str, start: float = 10.0, step: float = 0.002) -> list[WedgeResult]:
    out: list[WedgeResult] = []
    t = start
    for char in text:
        result = detector.key("enter" if char == "\n" else char, t)
        if result is not None:
            out.append(result)
        t += step
    return out


def test_burst_of_keys_ending_in_enter_is_a_keyboard_scan() -> None:
    (scan,) = feed(WedgeDetector(), "4006381333931\n")
    assert isinstance(scan, Scan)
    assert (scan.text, scan.source) == ("4006381333931", "keyboard")


def test_slow_typing_is_typed_text_submitted_by_enter() -> None:
    detector = WedgeDetector(max_interkey_ms=35)
    results = feed(detector, "A-03\n", step=0.15)
    assert all(isinstance(r, TypedText) for r in results)
    assert "".join(r.text for r in results if isinstance(r, TypedText)) == "A-03"
    assert isinstance(results[-1], TypedText) and results[-1].submitted


def test_fast_burst_shorter_than_the_minimum_is_typing() -> None:
    (typed,) = feed(WedgeDetector(min_length=3), "ok\n")
    assert typed == TypedText("ok", submitted=True)


def test_enter_long_after_a_fast_burst_is_typing_not_a_scan() -> None:
    detector = WedgeDetector()
    assert feed(detector, "12345") == []
    result = detector.key("enter", 10.5)
    assert result == TypedText("12345", submitted=True)


def test_flush_releases_typed_keys_after_the_gap_only() -> None:
    detector = WedgeDetector(max_interkey_ms=35)
    detector.key("x", 1.0)
    assert detector.flush(1.02) is None
    assert detector.flush(1.05) == TypedText("x")
    assert detector.flush(1.10) is None


def test_typing_then_a_scan_keeps_them_apart() -> None:
    detector = WedgeDetector()
    detector.key("q", 1.0)
    results = feed(detector, "A-03-02-1\n", start=2.0)
    assert results[0] == TypedText("q")
    assert isinstance(results[1], Scan) and results[1].text == "A-03-02-1"


def test_gs_replacement_and_ctrl_bracket_become_gs() -> None:
    (replaced,) = feed(WedgeDetector(gs_replacement="~"), "0104006381333931" + "10LOT~21SN\n")
    (direct,) = feed(WedgeDetector(gs_replacement=""), "0104006381333931" + "10LOT\x1d21SN\n")
    assert isinstance(replaced, Scan) and isinstance(direct, Scan)
    assert replaced.text == direct.text == f"010400638133393110LOT{GS}21SN"


def test_empty_gs_replacement_keeps_the_character() -> None:
    (scan,) = feed(WedgeDetector(gs_replacement=""), "AB~CD\n")
    assert isinstance(scan, Scan) and scan.text == "AB~CD"


def test_aim_prefix_typed_by_the_scanner_sets_symbology() -> None:
    (scan,) = feed(WedgeDetector(), "]C10104006381333931\n")
    assert isinstance(scan, Scan) and (scan.aim, scan.gs1, scan.text) == ("]C1", True, "0104006381333931")
