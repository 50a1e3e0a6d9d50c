"""A badge the station does not know is "unknown" only once its reference data is loaded (issue 12, 3):
before the first pull it says it is still loading, and for how long it has tried."""

from __future__ import annotations

from app.station.services.ports import ReferenceState
from tests.unit.station.conftest import make_rig


def test_a_badge_scanned_before_the_first_pull_says_loading_and_for_how_long() -> None:
    rig = make_rig("picker")
    rig.uow.store.reference = ReferenceState(False, trying_since=rig.clock.wall() - 42)
    v = rig.scan("OP-2100")
    assert v.code == "reference_loading" and not v.accepted
    assert v.message.startswith(
        "Still loading badges from the server (trying for 42 s): scan OP-2100 again in a moment."
    )
    assert "Unknown" not in v.message and "supervisor" not in v.message
    assert rig.station.session_view().operator is None


def test_before_the_station_has_tried_it_says_it_has_not_reached_the_server() -> None:
    rig = make_rig("picker")
    rig.uow.store.reference = ReferenceState(False)
    v = rig.scan("OP-2100")
    assert v.code == "reference_loading" and "has not reached the server yet" in v.message


def test_a_long_wait_is_told_in_minutes() -> None:
    rig = make_rig("picker")
    rig.uow.store.reference = ReferenceState(False, trying_since=rig.clock.wall() - 600)
    assert "(trying for 10 min)" in rig.scan("OP-2100").message


def test_once_loaded_an_unknown_badge_is_unknown() -> None:
    rig = make_rig("picker")
    rig.uow.store.reference = ReferenceState(True)
    v = rig.scan("OP-2100")
    assert v.code == "unknown_badge"
    assert v.message.startswith("Unknown badge OP-2100: not registered here. Ask a supervisor.")


def test_a_known_badge_signs_in_although_nothing_was_pulled() -> None:
    rig = make_rig("picker")  # operators put there by hand (a seeded or restored database)
    rig.uow.store.reference = ReferenceState(False)
    assert rig.scan("OP-1001").code == "signed_in"


def test_a_station_without_a_server_never_says_loading() -> None:
    rig = make_rig("picker")
    rig.uow.store.reference = ReferenceState(False)
    rig.station.deps.work_source = None
    v = rig.scan("OP-2100")
    assert v.code == "unknown_badge" and "without a server" in v.message
