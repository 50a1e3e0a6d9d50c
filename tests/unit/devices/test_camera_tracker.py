"""Camera dedup: confirm in consecutive frames, count once while in view, again only after the hold-off."""

from __future__ import annotations

from devices.camera_tracker import CodeTracker


def feed(tracker: CodeTracker[str], frames: list[set[str]], fps: float = 10.0) -> list[str]:
    out: list[str] = []
    for i, keys in enumerate(frames):
        out += tracker.update(keys, i / fps)
    return out


def test_a_code_counts_when_seen_in_confirm_frames_consecutive_frames() -> None:
    assert feed(CodeTracker(3, 1.0), [{"A"}, {"A"}, {"A"}, {"A"}]) == ["A"]
    assert feed(CodeTracker(3, 1.0), [{"A"}, {"A"}, set(), {"A"}, {"A"}]) == []


def test_a_code_in_view_counts_once_even_when_a_frame_misses_it() -> None:
    assert feed(CodeTracker(2, 1.0), [{"A"}, {"A"}, set(), {"A"}, {"A"}, {"A"}]) == ["A"]


def test_a_code_counts_again_after_being_out_of_view_for_the_holdoff() -> None:
    frames = [{"A"}, {"A"}] + [set()] * 10 + [{"A"}, {"A"}]  # 1.1 s out of view at 10 frames/s
    assert feed(CodeTracker(2, 1.0), frames) == ["A", "A"]
    assert feed(CodeTracker(2, 2.0), frames) == ["A"]


def test_two_codes_in_view_count_separately() -> None:
    assert sorted(feed(CodeTracker(2, 1.0), [{"A", "B"}, {"A", "B"}])) == ["A", "B"]
