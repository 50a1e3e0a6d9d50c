"""Every station as the server last heard from it: who works where, on what, and its sync health."""

from __future__ import annotations

from rich.text import Text

from app.station.services.floor import StationRow
from app.station.ui.widgets.live_table import Cell, LiveTable, age


class StationsTable(LiveTable):
    """Offline stations and stations with unsynced scans stand out in colour."""

    COLUMNS = (
        ("Station", "station", 6),
        ("Role", "role", 7),
        ("Operator", "operator", 9),
        ("Order", "order", 6),
        ("Queue", "queue", 5),
        ("Seen", "seen", 5),
        ("Net", "net", 7),
        ("Unsynced", "unsynced", 9),
        ("Ver", "version", 5),
    )

    def show(self, stations: list[StationRow]) -> None:
        ordered = sorted(stations, key=lambda s: (s.online, -s.unsynced, s.station_id))
        self.sync([(s.station_id, self._cells(s)) for s in ordered])

    @staticmethod
    def _cells(s: StationRow) -> list[Cell]:
        net = Text("online", style="green") if s.online else Text("OFFLINE", style="bold red")
        unsynced = f"{s.unsynced} ({age(s.oldest_unsynced_s)})" if s.unsynced else "0"
        return [
            s.station_id,
            s.role,
            s.operator[:9],
            s.current_order[:6],
            Text(str(s.queue_depth), justify="right"),
            age(s.last_contact_s),
            net,
            Text(unsynced, style="bold yellow" if s.unsynced else ""),
            s.app_version[:5],
        ]
