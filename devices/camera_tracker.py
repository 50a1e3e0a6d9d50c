"""Per-frame reads into scans: a code counts once, after `confirm_frames`, and again only after a hold-off.

Pure logic on (key, time) pairs so it can be tested without a camera. Time is the media time of the frame
(video position for files, monotonic clock for live cameras).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(slots=True)
class _Seen:
    streak: int  # consecutive frames the code was seen in
    last_seen: float  # time of the last frame that held it
    counted: bool  # already delivered during this visit


class CodeTracker(Generic[K]):
    """Deduplicate reads across frames.

    A code must be seen in `confirm_frames` consecutive frames before it counts. Once counted it does not
    count again while it stays in view (missing a frame or two is not leaving); it counts again only after it
    has been out of view for at least `holdoff_seconds`, and then again needs `confirm_frames` frames.
    """

    def __init__(self, confirm_frames: int = 2, holdoff_seconds: float = 1.5) -> None:
        if confirm_frames < 1 or holdoff_seconds < 0:
            raise ValueError("confirm_frames must be >= 1 and holdoff_seconds >= 0")
        self.confirm_frames = confirm_frames
        self.holdoff_seconds = holdoff_seconds
        self._seen: dict[K, _Seen] = {}

    def update(self, keys: Iterable[K], now: float) -> list[K]:
        """Feed the codes read in one frame taken at `now`; return those that count as new scans."""
        present = set(keys)
        accepted = []
        for key in present:
            seen = self._seen.get(key)
            if seen is None or (seen.counted and now - seen.last_seen >= self.holdoff_seconds):
                seen = self._seen[key] = _Seen(streak=0, last_seen=now, counted=False)
            seen.streak += 1
            seen.last_seen = now
            if not seen.counted and seen.streak >= self.confirm_frames:
                seen.counted = True
                accepted.append(key)
        for key in list(self._seen):
            if key in present:
                continue
            seen = self._seen[key]
            if not seen.counted:
                del self._seen[key]  # an unconfirmed streak is broken by a frame without it
            elif now - seen.last_seen >= self.holdoff_seconds:
                del self._seen[key]
        return accepted

    def reset(self) -> None:
        """Forget everything (the camera was reopened or the video restarted)."""
        self._seen.clear()
