"""Station-made ids are RFC 9562 UUIDv7: time-ordered, unique, with the version and variant bits set."""

from __future__ import annotations

import uuid

from app.station.services.ids import time_ordered_uuid


def test_an_id_is_a_version_7_uuid_carrying_its_millisecond() -> None:
    u = uuid.UUID(time_ordered_uuid(1_800_000_000_123_456_789))
    assert u.version == 7 and u.variant == uuid.RFC_4122
    assert u.int >> 80 == 1_800_000_000_123


def test_ids_made_later_sort_after_earlier_ones_as_text() -> None:
    ids = [time_ordered_uuid(1_800_000_000_000_000_000 + k * 1_000_000) for k in range(200)]
    assert ids == sorted(ids)


def test_ids_made_in_the_same_millisecond_differ() -> None:
    ids = {time_ordered_uuid(1_800_000_000_000_000_000) for _ in range(10_000)}
    assert len(ids) == 10_000
