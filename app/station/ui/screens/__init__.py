"""The role screens: badge (choose a role), picker, packer, supervisor; and help."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from app.station.ui.app import AisleApp


def screen_for_role(role: str, app: AisleApp) -> Screen[None]:
    """A new screen for `role`; the badge screen when the role is empty."""
    if role == "picker":
        from app.station.ui.screens.picker import PickerScreen

        return PickerScreen()
    if role == "packer":
        from app.station.ui.screens.packer import PackerScreen

        return PackerScreen()
    if role == "supervisor":
        from app.station.ui.screens.supervisor import SupervisorScreen

        return SupervisorScreen()
    from app.station.ui.screens.badge import BadgeScreen

    return BadgeScreen()
