"""What bench scales send, parsed without a port: NCI replies, continuous lines, units, garbage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from devices.scale_factory import FakeScale, ScaleSpecError, open_scale
from devices.scale_frames import IgnoredFrame, ScaleReading, parse_continuous_line, parse_nci_reply, to_grams

OK = b"00"  # NCI status: bits 4 and 5 set, no flag
MOTION = b"10"
AT_ZERO = b"20"
OVER = b"02"
UNDER = b"01"


def nci(weight: bytes, status: bytes = OK) -> bytes:
    """An NCI reply to W<CR>, without its trailing ETX (the reader splits on it)."""
    return b"\n" + weight + b"\r\n" + status + b"\r"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (nci(b"  1.234kg"), ScaleReading(1234, True)),
        (nci(b"0002.50lb"), ScaleReading(1134, True)),
        (nci(b"  12.5oz"), ScaleReading(354, True)),
        (nci(b" 1234g "), ScaleReading(1234, True)),
        (nci(b"-  0.020kg"), ScaleReading(-20, True)),
        (nci(b"  0.000kg", AT_ZERO), ScaleReading(0, True)),
        (nci(b"  1.234kg", MOTION), ScaleReading(1234, False, "in motion")),
        (nci(b"  1.234kg", b"000"), ScaleReading(1234, True)),  # optional third status byte
        (nci(b"  1.234kg", bytes([0x30 | 0x80, 0x30])), ScaleReading(1234, True)),  # parity bit set
        (nci(b"^^^^^^^kg", OVER), ScaleReading(None, False, "over capacity")),
        (b"\n" + UNDER + b"\r", ScaleReading(None, False, "under capacity")),
    ],
)
def test_nci_replies_become_readings_stable_only_without_motion_or_capacity_flags(
    reply: bytes, expected: ScaleReading
) -> None:
    assert parse_nci_reply(reply) == expected


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (b"\n?\r", "did not understand"),
        (b"", "empty reply"),
        (b"\n  1.23", "incomplete reply"),  # cut off before the status bytes
        (nci(b"  1.234kg", b"AB"), "incomplete reply"),  # letters are not status bytes
        (nci(b"  1.234xx"), "unknown unit"),
        (nci(b"\xff\xfe\x00kg"), "not ASCII"),
        (nci(b"hello"), "not a weight"),
    ],
)
def test_nci_garbage_is_ignored_with_a_reason(reply: bytes, reason: str) -> None:
    result = parse_nci_reply(reply)
    assert isinstance(result, IgnoredFrame) and reason in result.reason


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"ST,GS,+0001.234kg", ScaleReading(1234, True)),
        (b"US,GS,+0001.236kg", ScaleReading(1236, False, "in motion")),
        (b"ST,NT,-0000.150kg", ScaleReading(-150, True)),
        (b"OL,GS,+9999.999kg", ScaleReading(None, False, "over capacity")),
        (b"ST,+00012.50  lb", ScaleReading(5670, True)),
        (b"  1234 g", ScaleReading(1234, True)),
        (b"  1234 g ?", ScaleReading(1234, False, "in motion")),
        (b"    2.5 oz", ScaleReading(71, True)),
        (b"S S      1.234 kg", ScaleReading(1234, True)),
        (b"S D      1.240 kg", ScaleReading(1240, False, "in motion")),
        (b"S +", ScaleReading(None, False, "over capacity")),
        (b"S -", ScaleReading(None, False, "under capacity")),
    ],
)
def test_continuous_lines_become_readings_with_their_stability(line: bytes, expected: ScaleReading) -> None:
    assert parse_continuous_line(line) == expected


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"", "empty line"),
        (b"ST,GS,+0001.2", "not a weight"),  # a partial line
        (b"\x00\x17\xff", "not ASCII"),
        (b"ST,GS,+1.0furlong", "unknown unit"),
        (b"S I", "busy"),
        (b"Zero", "not a weight"),
        (b"1.2.3 kg", "not a weight"),
    ],
)
def test_continuous_garbage_is_ignored_with_a_reason(line: bytes, reason: str) -> None:
    result = parse_continuous_line(line)
    assert isinstance(result, IgnoredFrame) and reason in result.reason


@pytest.mark.parametrize(
    ("value", "unit", "grams"),
    [("1.2345", "kg", 1235), ("1", "LB", 454), ("16", "oz", 454), ("0.4", "g", 0), ("0.5", "g", 1)],
)
def test_units_convert_to_whole_grams_rounding_half_up(value: str, unit: str, grams: int) -> None:
    assert to_grams(Decimal(value), unit) == grams


def test_an_empty_spec_means_no_scale_and_the_packer_types_weights() -> None:
    assert open_scale("") is None and open_scale("  ") is None


def test_a_fake_scale_reads_its_weight_at_once_then_waits_for_a_change() -> None:
    scale = open_scale("fake:1234")
    assert isinstance(scale, FakeScale)
    assert scale.read_grams(5.0) == 1234
    scale.place(0)
    assert scale.read_grams(5.0) is None  # an empty scale has no weight


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("usb:/dev/ttyUSB0", "unknown scale kind 'usb'"),
        ("fake:heavy", "fake: needs a weight in grams"),
        ("serial:", "needs a device"),
        ("serial:/dev/ttyUSB0?protocol=modbus", "protocol=modbus is not one of nci, continuous"),
        ("serial:/dev/ttyUSB0?baud=9600", "unknown serial scale option baud"),
        ("serial:/dev/ttyUSB0?baudrate=fast", "baudrate='fast' must be a whole number"),
        ("serial:/dev/ttyUSB0?parity=X", "parity=X is not one of N, E, O"),
        ("serial:/dev/ttyUSB0?bytesize=9", "bytesize=9 must be 5 to 8"),
    ],
)
def test_a_wrong_scale_spec_names_the_problem_and_shows_valid_specs(spec: str, problem: str) -> None:
    with pytest.raises(ScaleSpecError) as caught:
        open_scale(spec)
    assert problem in str(caught.value) and "a valid scale spec is" in str(caught.value)
