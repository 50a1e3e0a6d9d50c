"""The event digest is the sha256 of the canonical JSON of the whole event body, however it is computed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync import schemas as w

_text = st.text(
    alphabet=st.characters(codec="utf-8"), max_size=20
)  # quotes, backslashes, controls, non-ASCII
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


def _reference(
    event_id: str, type_: str, v: Any, lease: tuple[str, int] | None, payload: Any, created_wall: Any
) -> str:
    body = {
        "created_wall": created_wall,
        "event_id": event_id,
        "lease": list(lease) if lease else None,
        "payload": payload,
        "type": type_,
        "v": v,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@given(
    event_id=_text,
    type_=_text,
    v=st.integers() | st.booleans(),
    lease=st.none() | st.tuples(_text, st.integers()),
    payload=st.dictionaries(_text, _json, max_size=4),
    created_wall=st.floats() | st.integers(),
)
def test_digest_equals_the_sha256_of_the_canonical_body(
    event_id: str,
    type_: str,
    v: int,
    lease: tuple[str, int] | None,
    payload: dict[str, Any],
    created_wall: float,
) -> None:
    assert w.event_sha256(event_id, type_, v, lease, payload, created_wall) == _reference(
        event_id, type_, v, lease, payload, created_wall
    )


def test_digest_of_a_typical_event_is_pinned() -> None:
    """Stations and servers of every version must agree: a change to the canonical form fails here."""
    payload = {"units": 1, "sku": "MUG-RÉD"}
    digest = w.event_sha256("e-1", "ItemPicked", 1, ("12", 7), payload, 1_800_000_000.25)
    assert digest == "8497fd1e2502fdf78a5afab64a06fc633dafc09030f0677c9d50412cb73c2800"


_any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=12)  # surrogates and controls too
_any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_any_text, inner, max_size=3),
    max_leaves=10,
)


@given(value=_any_json)
def test_canonical_json_is_the_json_modules_text_for_any_value(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert w.canonical_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        1e-05,
        2.5e-07,
        float("nan"),
        float("inf"),
        2**70,
        {"k": [0.00001]},
        1e16,
        {"a": -2.5e-07, "id": "0190abce-5e6f-7abc-8def-0123456789ab"},
        [1, -0.00001],
        {"n": None, "x": float("-inf")},
        {"text": "a:1e-5,b:null", "v": 0.5},
    ],
)
def test_canonical_json_of_values_orjson_writes_differently(value: Any) -> None:
    assert w.canonical_json(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
