"""Identifiers a station makes offline: UUIDv7 (RFC 9562), time-ordered so that database indexes on them grow
at their right edge.

Event ids are unique on the server (docs/sync.md S2). Random (v4) ids land on a random page of that index for
every insert, so a push of 500 events dirties ~500 index pages (and, after a checkpoint, logs each of them in
full); ids that start with the time they were made go to the last page. The 74 random bits keep them
unguessable and unique across stations; the clock is only an ordering hint, never a decision (S5).
"""

from __future__ import annotations

import secrets
import time
import uuid


def time_ordered_uuid(now_ns: int | None = None) -> str:
    """A new UUIDv7 as text: 48 bits of Unix milliseconds, version 7, 74 random bits, RFC 9562 variant."""
    ms = (time.time_ns() if now_ns is None else now_ns) // 1_000_000
    rand = secrets.randbits(74)
    value = (
        (ms & 0xFFFF_FFFF_FFFF) << 80  # unix_ts_ms
        | 0x7 << 76  # ver
        | (rand >> 62) << 64  # rand_a (12 bits)
        | 0b10 << 62  # var
        | rand & (1 << 62) - 1  # rand_b (62 bits)
    )
    return str(uuid.UUID(int=value))
