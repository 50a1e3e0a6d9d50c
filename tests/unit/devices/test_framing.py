"""Serial framing: suffixes, prefix, AIM identifiers, GS preserved, and bad input rejected with a reason."""

from __future__ import annotations

import pytest

from devices.framing import Framer, FramingConfig, decode_frame, parse_bytes_option
from devices.scan import GS, RejectedFrame, Scan


def frames(config: FramingConfig, *chunks: bytes, gap: float = 0.001) -> list[Scan | RejectedFrame]:
    framer = Framer(config, "test")
    out: list[Scan | RejectedFrame] = []
    t = 1.0
    for chunk in chunks:
        out += framer.feed(chunk, t)
        t += gap
    out += framer.poll(t + 10)
    return out


def texts(events: list[Scan | RejectedFrame]) -> list[str]:
    return [e.text for e in events if isinstance(e, Scan)]


@pytest.mark.parametrize(
    ("suffix", "wire"),
    [
        ("CR", b"4006381333931\r5012345678900\r"),
        ("LF", b"4006381333931\n5012345678900\n"),
        ("CRLF", b"4006381333931\r\n5012345678900\r\n"),
        ("TAB", b"4006381333931\t5012345678900\t"),
        ("ETX", b"\x024006381333931\x03\x025012345678900\x03"),
    ],
)
def test_each_suffix_ends_a_frame(suffix: str, wire: bytes) -> None:
    assert texts(frames(FramingConfig(suffix=suffix), wire)) == ["4006381333931", "5012345678900"]


def test_timeout_mode_ends_a_frame_at_a_pause() -> None:
    framer = Framer(FramingConfig(suffix="TIMEOUT", gap_seconds=0.05))
    assert framer.feed(b"40063813", 1.0) == []
    assert framer.feed(b"33931", 1.01) == []
    assert framer.poll(1.03) == []
    (scan,) = framer.poll(1.07)
    assert isinstance(scan, Scan) and scan.text == "4006381333931"


def test_crlf_scanner_configured_as_cr_still_frames_cleanly() -> None:
    events = frames(FramingConfig(suffix="CR"), b"ABC-1\r\nABC-2\r\n")
    assert texts(events) == ["ABC-1", "ABC-2"]
    assert not [e for e in events if isinstance(e, RejectedFrame)]


def test_aim_identifier_is_parsed_off_the_front_with_gs1_flag() -> None:
    (scan,) = frames(FramingConfig(), b"]C10104006381333931\x1d10LOT7\r")
    assert isinstance(scan, Scan)
    assert (scan.aim, scan.symbology, scan.gs1) == ("]C1", "gs1-128", True)
    assert scan.text == "0104006381333931" + GS + "10LOT7"
    assert scan.raw == b"]C10104006381333931\x1d10LOT7"


@pytest.mark.parametrize(
    ("aim", "data", "symbology", "gs1"),
    [
        ("]E0", "4006381333931", "ean13", False),
        ("]E0", "036000291452", "upca", False),
        ("]E4", "96385074", "ean8", False),
        ("]C0", "SKU-123", "code128", False),
        ("]d2", "0104006381333931", "datamatrix", True),
        ("]d1", "hello", "datamatrix", False),
        ("]Q3", "0104006381333931", "qrcode", True),
        ("]Q1", "hello", "qrcode", False),
        ("]e0", "0104006381333931", "databar", True),
    ],
)
def test_aim_ids_map_to_symbology_and_gs1_flag(aim: str, data: str, symbology: str, gs1: bool) -> None:
    scan = decode_frame(f"{aim}{data}".encode(), FramingConfig())
    assert isinstance(scan, Scan)
    assert (scan.aim, scan.text, scan.symbology, scan.gs1) == (aim, data, symbology, gs1)


def test_aim_off_keeps_a_leading_bracket_as_data() -> None:
    scan = decode_frame(b"]C1abc", FramingConfig(aim="off"))
    assert isinstance(scan, Scan) and scan.text == "]C1abc" and scan.aim is None


def test_aim_required_but_missing_is_rejected() -> None:
    rejected = decode_frame(b"4006381333931", FramingConfig(aim="require"))
    assert isinstance(rejected, RejectedFrame) and "AIM" in rejected.reason


def test_prefix_is_stripped_and_a_frame_without_it_is_rejected() -> None:
    config = FramingConfig(prefix=b"\x02S")
    events = frames(config, b"\x02S]E04006381333931\rnoise\r")
    assert isinstance(events[0], Scan) and events[0].text == "4006381333931" and events[0].aim == "]E0"
    assert isinstance(events[1], RejectedFrame) and "prefix" in events[1].reason


def test_over_long_frame_is_rejected_and_its_tail_is_not_a_scan() -> None:
    config = FramingConfig(max_frame_bytes=16)
    events = frames(config, b"X" * 40 + b"\r", b"GOOD-1\r")
    assert isinstance(events[0], RejectedFrame) and "over-long" in events[0].reason
    assert texts(events) == ["GOOD-1"]


def test_undecodable_bytes_are_rejected_with_position() -> None:
    (rejected,) = frames(FramingConfig(), b"AB\xff\xfeCD\r")
    assert isinstance(rejected, RejectedFrame)
    assert rejected.reason == "byte 0xFF at 2 is not valid utf-8"


def test_control_noise_inside_a_frame_is_rejected() -> None:
    (rejected,) = frames(FramingConfig(), b"AB\x00CD\r")
    assert isinstance(rejected, RejectedFrame) and "0x00" in rejected.reason


def test_idle_partial_frame_is_rejected_not_glued_onto_the_next_scan() -> None:
    framer = Framer(FramingConfig(stale_seconds=0.5))
    assert framer.feed(b"#%garbage", 1.0) == []
    events = framer.feed(b"4006381333931\r", 2.0)
    assert isinstance(events[0], RejectedFrame) and events[0].raw == b"#%garbage"
    assert "incomplete" in events[0].reason
    assert isinstance(events[1], Scan) and events[1].text == "4006381333931"


def test_empty_frames_are_ignored() -> None:
    assert frames(FramingConfig(), b"\r\r\r") == []


def test_bad_config_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="suffix must be one of CR, LF"):
        FramingConfig(suffix="NUL")
    with pytest.raises(LookupError):
        FramingConfig(encoding="no-such-codec")


def test_prefix_option_understands_hex_escapes() -> None:
    assert parse_bytes_option(r"\x02S") == b"\x02S"
