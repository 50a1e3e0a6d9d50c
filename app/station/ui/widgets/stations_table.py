"""Every station as the server last heard from it: who works where, on what, its sync health and the size of
its database (a station whose file keeps growing is not pruning: docs/sync.md rule 2)."""

from __future__ import annotations

from rich.text import Text

from app.station.services.floor import StationRow
from app.station.ui.widgets.live_table import Cell, LiveTable, age


class StationsTable(LiveTable):
    """Offline stations and stations with unsynced scans stand out in colour."""

    COLUMNS = (
        ("Station", "station", 6),
        ("Role", "role", 6),
        ("Operator", "operator", 8),
        ("Order", "order", 6),
        ("Queue", "queue", 5),
        ("Seen", "seen", 5),
        ("Net", "net", 7),
        ("Unsent", "unsynced", 7),  # scans the server has not acknowledged yet, with the oldest one's age
        ("DB", "db", 4),
        ("Ver", "version", 5),
    )
    """Ten columns plus their padding fit an 80-column terminal (tests/ui/test_supervisor.py)."""

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
            s.operator[:8],
            s.current_order[:6],
            Text(str(s.queue_depth), justify="right"),
            age(s.last_contact_s),
            net,
            Text(unsynced, style="bold yellow" if s.unsynced else ""),
            Text(size(s.db_bytes), justify="right"),
            s.app_version[:5],
        ]


def size(n: int | None) -> str:
    """A database size in four characters at most (1024-based): 512K, 9.5M, 12M, 1.2G; '—' when unknown."""
    if n is None:
        return "—"
    if n < 1024:
        return "<1K"
    value, unit = n / 1024, "K"
    for bigger in "MGT":
        if value < 999.5:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f}{unit}" if value < 9.95 else f"{value:.0f}{unit}"
