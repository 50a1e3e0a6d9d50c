"""Claims and leases with fencing tokens (S8, S9): expiry on the server clock, grace, renewal, revoke."""

from __future__ import annotations

from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock, Station, order, stock_of

LEASE = 8 * 3600
GRACE = 60


def _picked(station: Station, line: dict, units: int, token: int | None = None) -> dict:
    lease = (line["line_id"], token if token is not None else line["token"])
    payload = {"line_id": line["line_id"], "order_id": line["order_id"], "sku": line["sku"], "units": units}
    return station.event("ItemPicked", payload, lease)


def test_a_claim_leases_every_line_with_a_token_and_a_server_clock_deadline(
    stocked: Server, st1: Station, clock: Clock, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    assert [(ln["sku"], ln["location"], ln["qty"]) for ln in work["lines"]] == [("MUG-RED", "A-01-02-1", 2)]
    assert all(ln["token"] > 0 and ln["expires_at"] == clock.now + LEASE for ln in work["lines"])
    assert [p["sku"] for p in work["products"]] == ["MUG-RED"]
    assert st1.claim() is None  # nothing else waits


def test_a_held_line_is_not_given_to_another_station_before_expiry_plus_grace(
    stocked: Server, st1: Station, st2: Station, clock: Clock, released: list[int]
) -> None:
    assert st1.claim() is not None
    clock.now += LEASE + GRACE - 1
    assert st2.claim() is None
    clock.now += 2
    taken = st2.claim()
    assert taken is not None and taken["lines"][0]["qty"] == 2


def test_a_pick_under_the_old_token_after_reassignment_is_a_conflict_and_not_applied(
    stocked: Server, st1: Station, st2: Station, clock: Clock, released: list[int]
) -> None:
    first = st1.claim()
    assert first is not None
    line1 = first["lines"][0]
    clock.now += LEASE + GRACE + 1
    second = st2.claim()
    assert second is not None
    line2 = second["lines"][0]
    assert line2["line_id"] == line1["line_id"] and line2["token"] > line1["token"]
    late = st1.push([_picked(st1, line1, 2)])
    assert late.status_code == 200
    assert late.json()["results"][0]["outcome"] == "accepted_conflict"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}  # nothing moved
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [0]
    ok = st2.push([_picked(st2, line2, 2)])
    assert ok.json()["results"][0]["outcome"] == "accepted"
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [2]
    conflicts = stocked.get("/exceptions", role="supervisor", kind="sync_conflict").json()["items"]
    assert [c["station_id"] for c in conflicts] == ["ST01"]
    revoked = [c for c in st1.pull().json().get("changes", []) if c["kind"] == "lease.revoked"]
    assert revoked == [] or revoked[0]["line_id"] == line1["line_id"]


def test_the_old_holder_hears_that_its_expired_lease_was_reassigned(
    stocked: Server, st1: Station, st2: Station, clock: Clock, released: list[int]
) -> None:
    st1.pull()
    work = st1.claim()
    assert work is not None
    clock.now += LEASE + GRACE + 1
    assert st2.claim() is not None
    changes = st1.pull().json()["changes"]
    kinds = [c["kind"] for c in changes]
    assert kinds == ["lease.granted", "lease.revoked"]
    assert (
        changes[1]["line_id"] == work["lines"][0]["line_id"]
        and changes[1]["token"] == work["lines"][0]["token"]
    )


def test_every_pull_renews_the_stations_leases_so_an_active_station_keeps_them(
    stocked: Server, st1: Station, st2: Station, clock: Clock, released: list[int]
) -> None:
    st1.pull()
    assert st1.claim() is not None
    for _ in range(3):
        clock.now += LEASE - 10
        renewed = [c for c in st1.pull().json().get("changes", []) if c["kind"] == "lease.renewed"]
        assert [c["expires_at"] for c in renewed] == [clock.now + LEASE]
    clock.now += LEASE + GRACE - 5
    assert st2.claim() is None


def test_a_supervisor_revokes_a_line_from_an_offline_station_and_its_late_picks_are_fenced(
    stocked: Server, st1: Station, st2: Station, clock: Clock, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    line = work["lines"][0]
    resp = stocked.post(
        f"/leases/{line['line_id']}/revoke", {"reason": "picker went home"}, role="supervisor"
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["lines"][0]["holder"] is None
    assert resp.json()["lines"][0]["lease_token"] > line["token"]
    again = st2.claim()
    assert again is not None and again["lines"][0]["line_id"] == line["line_id"]
    late = st1.push([_picked(st1, line, 1)])
    assert late.json()["results"][0]["outcome"] == "accepted_conflict"
    assert stock_of(stocked, "MUG-RED") == {"A-01-02-1": (5, 2)}
    kinds = [c["kind"] for c in st1.pull().json().get("snapshot", {}).get("work", [])]
    assert kinds == []  # the reset snapshot holds no work for ST01 any more


def test_revoke_needs_a_supervisor_and_a_held_line(
    stocked: Server, st1: Station, clock: Clock, released: list[int]
) -> None:
    work = st1.claim()
    assert work is not None
    line_id = work["lines"][0]["line_id"]
    assert stocked.post(f"/leases/{line_id}/revoke", {}, role="station").status_code == 403
    assert stocked.post(f"/leases/{line_id}/revoke", {}, role="supervisor").status_code == 200
    assert stocked.post(f"/leases/{line_id}/revoke", {}, role="supervisor").status_code == 409
    assert stocked.post("/leases/999999/revoke", {}, role="supervisor").status_code == 404


def test_the_work_list_shows_who_holds_what_and_whether_they_are_online(
    stocked: Server, st1: Station, clock: Clock, released: list[int]
) -> None:
    st1.pull()
    assert st1.claim() is not None
    units = stocked.get("/work", role="supervisor", held="true").json()
    line = units[0]["lines"][0]
    assert (line["holder"], line["holder_online"]) == ("ST01", True)
    clock.now += 3600
    line = stocked.get("/work", role="supervisor").json()[0]["lines"][0]
    assert (line["holder"], line["holder_online"]) == ("ST01", False)
