"""The supervisor's floor view: its feed from the server, and the terminal that shows it alone."""

from __future__ import annotations

from app.config import Settings
from app.station.services.floor import SupervisorSource
from app.station.ui.app import AisleApp
from app.station.ui.factory import create_station_app


def supervisor_terminal(settings: Settings, server: str, token: str) -> AisleApp:
    """`aisle supervisor`: the floor view alone, fed by the server (no station, no scanner)."""
    return create_station_app(settings, None, None, supervisor_source(server, token), role="supervisor")


def supervisor_source(server: str, token: str) -> SupervisorSource:
    """The supervisor view's feed: the server's floor endpoints over HTTP."""
    from sync.supervisor_client import HttpSupervisorSource  # lazy: httpx (~90 ms), only for this view

    return HttpSupervisorSource.connect(server, token)
