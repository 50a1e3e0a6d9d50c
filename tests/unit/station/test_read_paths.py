"""Screens, the autopilot and badge look-ups only read: they open read-only units of work, never a writer."""

from __future__ import annotations

import pytest

from app.station.services.autopilot import Autopilot
from app.station.services.role_choice import roles_for_badge
from tests.support.fakes import FakeUnitOfWorkFactory
from tests.unit.station.conftest import Rig


def test_the_views_after_a_scan_take_no_write_transaction(picker: Rig) -> None:
    picker.scan("T-100")
    writers = picker.uow.writers
    assert picker.station.line_view() is not None
    picker.station.session_view()
    picker.station.pack_view()
    assert picker.uow.writers == writers and picker.uow.readers >= 3


def test_the_autopilot_and_a_badge_look_up_take_no_write_transaction(picker: Rig) -> None:
    writers = picker.uow.writers
    pilot = Autopilot(picker.station, "OP-1001")
    for _ in range(3):  # tote, location, product: each suggestion reads the views and the catalogue
        assert pilot.next_scan() is not None
    assert roles_for_badge(picker.station.deps, "OP-1001") == ("picker", "packer")
    assert picker.uow.writers == writers


def test_a_read_only_unit_of_work_refuses_to_commit() -> None:
    with FakeUnitOfWorkFactory().read_only() as uow, pytest.raises(RuntimeError, match="read-only"):
        uow.commit()
