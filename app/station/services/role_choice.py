"""Choosing a role at a station started without one: which roles a badge may take, and taking one."""

from __future__ import annotations

from dataclasses import replace

from app.station.services.deps import StationDeps

STATION_ROLES = ("picker", "packer", "supervisor")


def roles_for_badge(deps: StationDeps, badge: str) -> tuple[str, ...] | None:
    """The roles the operator with `badge` may take here (a supervisor may take any), or None if unknown."""
    with deps.uow.read_only() as uow:
        operator = uow.operators.by_badge(badge)
    if operator is None:
        return None
    if "supervisor" in operator.roles:
        return STATION_ROLES
    return tuple(r for r in STATION_ROLES if r in operator.roles)


def take_role(deps: StationDeps, role: str) -> None:
    """Make this station work as `role` from now on (the next sign-in is checked against it)."""
    if role not in STATION_ROLES:
        raise ValueError(f"unknown role {role!r}")
    deps.config = replace(deps.config, role=role)
