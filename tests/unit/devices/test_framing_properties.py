"""Framing properties (Hypothesis): no input crashes it, split frames reassemble, noise never glues on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.framing import Framer, FramingConfig
from devices.scan import RejectedFrame, Scan

# Barcode-like data: printable ASCII plus GS, never the CR suffix.
data_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\x1d"), min_size=1, max_size=60
).filter(lambda s: not s.startswith("]") and s.strip("\r\n"))
config = FramingConfig(suffix="CR", max_frame_bytes=64, stale_seconds=0.5)


@settings(max_examples=300, deadline=None)
@given(chunks=st.lists(st.binary(max_size=80), max_size=20), times=st.lists(st.floats(0, 2), max_size=20))
def test_no_input_crashes_the_framer_and_every_event_is_a_scan_or_a_rejection(
    chunks: list[bytes], times: list[float]
) -> None:
    framer = Framer(config)
    t = 0.0
    for i, chunk in enumerate(chunks):
        t += times[i] if i < len(times) else 0.01
        for event in framer.feed(chunk, t):
            assert isinstance(event, (Scan, RejectedFrame))
            if isinstance(event, RejectedFrame):
                assert event.reason
            else:
                assert event.text and len(event.raw) <= config.max_frame_bytes
    for event in framer.poll(t + 10):
        assert isinstance(event, RejectedFrame)
    assert not framer.pending()


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(data_text, min_size=1, max_size=8), cuts=st.lists(st.integers(0, 600), max_size=12))
def test_frames_split_anywhere_reassemble(texts: list[str], cuts: list[int]) -> None:
    wire = b"".join(t.encode() + b"\r" for t in texts)
    points = sorted({c % (len(wire) + 1) for c in cuts})
    pieces = [wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)]
    framer = Framer(config)
    events = []
    for i, piece in enumerate(pieces):
        events += framer.feed(piece, 1.0 + i * 0.001)
    assert [e.text for e in events if isinstance(e, Scan)] == [t.strip("\r\n") for t in texts]


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(data_text, min_size=1, max_size=6), noise=st.lists(st.binary(min_size=1, max_size=100)))
def test_noise_between_frames_never_glues_onto_a_scan(texts: list[str], noise: list[bytes]) -> None:
    framer = Framer(config)
    t = 0.0
    events = []
    for i, text in enumerate(texts):
        if i < len(noise):  # noise arrives, then a pause, then the real frame
            events += framer.feed(noise[i], t)
            t += 1.0
        events += framer.feed(text.encode() + b"\r", t)
        t += 0.01
    scans = [e.text for e in events if isinstance(e, Scan)]
    wanted = [t.strip("\r\n") for t in texts]
    it = iter(scans)
    assert all(any(s == w for s in it) for w in wanted), f"{wanted} not delivered intact in {scans}"
