"""The sync client's back-off keeps working however long the server refuses the station."""

from __future__ import annotations

import random

from sync.client import Backoff


def test_backoff_stays_within_the_cap_after_thousands_of_failures() -> None:
    backoff = Backoff(base=0.5, cap=30.0, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(5000)]
    assert all(0 <= d <= 30.0 for d in delays)
    assert max(delays[-100:]) > 15  # still jittered up to the cap, not stuck at a tiny delay
