"""ClaimRequest.max_lines: a station asking for at most N lines gets a unit that small when one waits, else
the smallest unit (units are never split)."""

from __future__ import annotations

from typing import Any

from tests.integration.server.conftest import Server, order_body
from tests.integration.sync.conftest import Station, release_orders


def _claim(st: Station, max_lines: int) -> Any:
    body = {
        "station_id": st.station_id,
        "replica_id": st.replica_id,
        "operator": "OP-1",
        "max_lines": max_lines,
    }
    return st.post("/work/claim", body)


def test_a_claim_with_max_lines_gets_a_unit_within_the_limit_before_an_older_larger_one(
    stocked: Server, st1: Station, st2: Station
) -> None:
    (big,) = release_orders(stocked, order_body("a", lines=[("MUG-RED", 1), ("MUG-BLU", 1)]))
    (small,) = release_orders(stocked, order_body("b", lines=[("MUG-RED", 1)]))
    work = _claim(st1, 1).json()["work"]
    assert work["orders"] == [str(small)] and len(work["lines"]) == 1
    # nothing that small is left: the smallest waiting unit rather than no work at all
    work = _claim(st2, 1).json()["work"]
    assert work["orders"] == [str(big)] and len(work["lines"]) == 2


def test_a_claim_with_max_lines_below_one_or_absurdly_high_is_refused(stocked: Server, st1: Station) -> None:
    for wrong in (0, 2**63):
        resp = _claim(st1, wrong)
        assert resp.status_code == 422 and "max_lines" in resp.json()["message"], resp.text
