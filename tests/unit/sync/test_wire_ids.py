"""Ids named in pushed events: a value that cannot name a server row is no id, never an error."""

from __future__ import annotations

import pytest

from sync.ingest.effects import MAX_ID, as_int


@pytest.mark.parametrize(("value", "expected"), [(12, 12), ("12", 12), ("ORD-12", 12), ("ord-7", 7)])
def test_ids_are_read_from_numbers_and_order_references(value: object, expected: int) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize(
    "value", ["ORD-" + "9" * 20, MAX_ID + 1, 0, -3, "-3", "", "12a", True, None, 1.5, ["12"], "²"]
)
def test_values_that_cannot_name_a_row_are_no_id(value: object) -> None:
    assert as_int(value) is None
