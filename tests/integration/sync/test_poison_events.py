"""Poison events pushed to the server app (docs/sync.md S4): what the server cannot apply is rejected,
routed to the supervisor, and never stops the events behind it. The process-level test of a station whose
outbox holds one is tests/integration/faults/test_poison_event.py."""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import pytest

from sync.ingest import push as sync_push
from sync.ingest import specs
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Station

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _body(st: Station, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"station_id": st.station_id, "replica_id": st.replica_id, "app_version": "t", "events": events}


def test_the_supervisor_sees_every_event_the_server_could_not_apply(stocked: Server, st1: Station) -> None:
    resp = st1.push(
        [
            st1.event("PalletTeleported", {"pallet": "P-1"}),
            st1.event("CountTaskRequested", {"sku": "MUG-RED"}),  # no location
            st1.event("ScanNoted", {"code": "ok"}),
        ]
    )
    assert [r["outcome"] for r in resp.json()["results"]] == ["rejected_recorded"] * 2 + ["accepted"]
    items = stocked.get("/exceptions", role="supervisor").json()["items"]
    named = {t for t in ("PalletTeleported", "CountTaskRequested") for i in items if t in i["message"]}
    assert named == {"PalletTeleported", "CountTaskRequested"}, items
    (view,) = stocked.get("/stations", role="supervisor").json()["stations"]
    assert view["open_exceptions"] == 2


def test_a_handler_failing_with_an_unexpected_error_rejects_that_event_and_applies_the_rest(
    stocked: Server, st1: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(_ctx: object, _ev: object) -> None:
        raise AttributeError("'list' object has no attribute 'get' (a handler bug)")

    monkeypatch.setitem(specs.SPECS, "PackStarted", replace(specs.SPECS["PackStarted"], handler=buggy))
    client = TestClient(stocked.app, raise_server_exceptions=False)  # answer 500 as a real server does
    events = [st1.event("ScanNoted", {"code": "ok"}), st1.event("PackStarted", {"order_id": "1"})]
    events.append(st1.event("ScanNoted", {"code": "ok"}))
    resp = client.post("/api/v1/sync/push", json=_body(st1, events), headers=st1.headers)
    assert resp.status_code == 200, resp.text
    assert [r["outcome"] for r in resp.json()["results"]] == ["accepted", "rejected_recorded", "accepted"]
    assert resp.json()["acked_through"] == 3


def test_malformed_events_found_by_the_checks_are_rejected_in_one_pass(
    stocked: Server, st1: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds: list[int] = []
    real_push = sync_push.push

    def counted(*args: Any, **kwargs: Any) -> Any:
        rounds.append(1)
        return real_push(*args, **kwargs)

    monkeypatch.setattr(sync_push, "push", counted)
    bad = [st1.event("UnitVerified", {"order_id": f"ORD-{900_000 + k}"}) for k in range(40)]
    resp = st1.push([*bad, st1.event("ScanNoted", {"code": "ok"})])
    assert resp.status_code == 200, resp.text
    assert [r["outcome"] for r in resp.json()["results"]] == ["rejected_recorded"] * 40 + ["accepted"]
    assert len(rounds) == 1  # not one rollback and redo per bad event


class _Deadlock(Exception):
    sqlstate = "40P01"


def test_a_deadlock_inside_a_handler_retries_the_batch_instead_of_rejecting_the_event(
    stocked: Server, st1: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    real = specs.SPECS["ScanNoted"].handler
    failures = [OperationalError("SELECT …", {}, _Deadlock("deadlock detected"))]

    def deadlocked_once(ctx: Any, ev: Any) -> Any:
        if failures:
            raise failures.pop()
        return real(ctx, ev)

    monkeypatch.setitem(specs.SPECS, "ScanNoted", replace(specs.SPECS["ScanNoted"], handler=deadlocked_once))
    resp = st1.push([st1.event("ScanNoted", {"code": "ok"})])
    assert resp.status_code == 200, resp.text
    assert [r["outcome"] for r in resp.json()["results"]] == ["accepted"] and failures == []
