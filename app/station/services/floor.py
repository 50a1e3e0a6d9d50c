"""The supervisor's floor view: stations, orders by status, exceptions; and the actions on them.

`SupervisorSource` is the port; sync.supervisor_client.HttpSupervisorSource reads the central server's API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class SupervisorError(Exception):
    """The server could not be read or refused an action; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class StationRow:
    """One station as the server last heard from it."""

    station_id: str
    role: str = ""
    operator: str = ""
    current_order: str = ""
    queue_depth: int = 0
    last_contact_s: float | None = None  # seconds since the server last heard from it
    online: bool = False
    unsynced: int = 0
    oldest_unsynced_s: float | None = None
    app_version: str = ""
    db_bytes: int | None = None  # its database file as it last reported it (None: not known)


@dataclass(frozen=True, slots=True)
class OrderRow:
    """An order on the floor: its status, age, priority and whether it is late."""

    order_id: str
    status: str
    age_s: float = 0.0
    priority: str = "normal"
    late: bool = False


@dataclass(frozen=True, slots=True)
class StatusCount:
    """How many orders are in one status, how many of them are late, and the oldest one's age."""

    status: str
    count: int
    late: int = 0
    oldest_s: float = 0.0


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    """Something that waits for a supervisor: a short, a wrong-item streak, a weight mismatch, a conflict."""

    exception_id: str
    kind: str
    message: str = ""
    station_id: str = ""
    order_id: str = ""
    lease_id: str = ""  # the line lease it concerns, when revoking makes sense
    age_s: float = 0.0
    acknowledged: bool = False


@dataclass(frozen=True, slots=True)
class FloorView:
    """Everything the supervisor screen shows, read in one refresh."""

    stations: list[StationRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    exceptions: list[ExceptionRow] = field(default_factory=list)

    def status_counts(self) -> list[StatusCount]:
        """Orders grouped by status; statuses with late orders first, then by the oldest order."""
        groups: dict[str, list[OrderRow]] = {}
        for order in self.orders:
            groups.setdefault(order.status, []).append(order)
        counts = [
            StatusCount(s, len(rows), sum(r.late for r in rows), max(r.age_s for r in rows))
            for s, rows in groups.items()
        ]
        return sorted(counts, key=lambda c: (-c.late, -c.oldest_s, c.status))

    def orders_late_first(self) -> list[OrderRow]:
        return sorted(self.orders, key=lambda o: (not o.late, -o.age_s, o.order_id))


PRIORITIES = ("low", "normal", "high", "urgent")


class SupervisorSource(Protocol):
    """The central server as the supervisor sees it. Every method may raise SupervisorError."""

    @property
    def server_url(self) -> str:
        """The server's base URL (the supervisor's top line names the server it reads)."""
        ...

    def floor(self) -> FloorView:
        """Stations, open orders and open exceptions, as of now."""
        ...

    def acknowledge(self, exception_id: str) -> str: ...

    def revoke_lease(self, lease_id: str) -> str: ...

    def hold_order(self, order_id: str, reason: str) -> str: ...

    def release_order(self, order_id: str) -> str: ...

    def set_priority(self, order_id: str, priority: str) -> str: ...
