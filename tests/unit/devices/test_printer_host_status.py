"""The ``~HS`` answer: field positions on a sample answer, flags, and answers that are not ``~HS``."""

from __future__ import annotations

import pytest

from devices.printers.host_status import answer_complete, parse_host_status, status_from_answer

# A three-string answer in the shape the ZPL II Programming Guide gives for ~HS (not recorded from hardware):
# string 1: communication settings 030, paper out 1, pause 0, label length 1245 dots, 2 formats waiting, …;
# string 2: function settings 001, unused, head up 0, ribbon out 0, thermal transfer 1, print mode 2
#           (tear-off), width mode 4, label waiting 0, 3 labels remaining, format while printing 1, 0 images;
# string 3: password 1234, static RAM 0.
SAMPLE = (
    b"\x02030,1,0,1245,002,0,0,0,000,0,0,0\x03\r\n"
    b"\x02001,0,0,0,1,2,4,0,00000003,1,000\x03\r\n"
    b"\x021234,0\x03\r\n"
)


def flip(answer: bytes, string: int, field: int, value: str) -> bytes:
    """`answer` with field `field` of string `string` (both from 0) set to `value`."""
    parts = answer.split(b"\x02")
    body, rest = parts[string + 1].split(b"\x03", 1)
    fields = body.split(b",")
    fields[field] = value.encode()
    parts[string + 1] = b",".join(fields) + b"\x03" + rest
    return b"\x02".join(parts)


def test_field_positions_on_the_sample_answer() -> None:
    hs = parse_host_status(SAMPLE)
    assert (hs.paper_out, hs.paused, hs.head_open, hs.ribbon_out) == (True, False, False, False)
    assert (hs.formats_waiting, hs.labels_remaining) == (2, 3)


@pytest.mark.parametrize(
    ("string", "field", "attribute"),
    [(0, 1, "paper_out"), (0, 2, "paused"), (1, 2, "head_open"), (1, 3, "ribbon_out")],
)
def test_each_flag_is_read_from_its_own_field(string: int, field: int, attribute: str) -> None:
    clear = flip(SAMPLE, 0, 1, "0")
    assert not getattr(parse_host_status(clear), attribute)
    only = flip(clear, string, field, "1")
    flags = parse_host_status(only)
    assert getattr(flags, attribute)
    others = {"paper_out", "paused", "head_open", "ribbon_out"} - {attribute}
    assert not any(getattr(flags, name) for name in others)


def test_the_status_says_what_stops_printing() -> None:
    status = status_from_answer(flip(flip(SAMPLE, 0, 2, "1"), 1, 2, "1"))
    assert status.reachable and status.known
    assert (status.paper_out, status.paused, status.head_open) == (True, True, True)
    assert status.detail == "head open, paper out, paused" and not status.ready
    assert status_from_answer(flip(SAMPLE, 0, 1, "0")).detail == "ready"


@pytest.mark.parametrize(
    "answer",
    [
        b"",
        b"garbage\r\n",
        b"\x02030,1\x03\r\n\x02001\x03\r\n\x021234,0\x03\r\n",
        SAMPLE.replace(b",1,0,1245", b",X,0,1245"),
    ],
)
def test_no_answer_or_not_a_host_status_is_reachable_status_unknown(answer: bytes) -> None:
    status = status_from_answer(answer)
    assert status.reachable and not status.known and status.ready
    assert "status unknown" in status.detail
    if answer:
        with pytest.raises(ValueError):
            parse_host_status(answer)


def test_an_answer_is_complete_after_its_third_string() -> None:
    assert not answer_complete(SAMPLE[:-5])
    assert answer_complete(SAMPLE)
