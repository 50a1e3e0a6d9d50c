"""The role screens: badge (choose a role), picker, packer, supervisor; and help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from app.station.ui.screens.badge import BadgeScreen
from app.station.ui.screens.packer import PackerScreen
from app.station.ui.screens.picker import PickerScreen
from app.station.ui.screens.supervisor import SupervisorScreen

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp

SCREENS: dict[str, type[Screen[None]]] = {
    "picker": PickerScreen,
    "packer": PackerScreen,
    "supervisor": SupervisorScreen,
}


def screen_for_role(role: str, app: AisleApp) -> Screen[None]:
    """A new screen for `role`; the badge screen when the role is empty."""
    return SCREENS.get(role, BadgeScreen)()
