"""Fakes for the terminal's other ports: sync health the test switches, a supervisor floor it edits."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from app.station.services.floor import ExceptionRow, FloorView, OrderRow, StationRow, SupervisorError
from app.station.services.terminal_ports import SyncHealth


@dataclass
class FakeSync:
    """A sync client whose health the test sets; the App's sync worker reads it."""

    current: SyncHealth = field(default_factory=lambda: SyncHealth(True))

    def health(self) -> SyncHealth:
        return self.current


def sample_floor() -> FloorView:
    """Two stations (one offline with unsynced scans), three orders (one late), two exceptions."""
    return FloorView(
        stations=[
            StationRow("ST01", "picker", "Ann", "1001", 3, 2.0, True, 0, None, "0.1.0", 12 * 2**20),
            StationRow("ST02", "packer", "Bob", "1002", 1, 600.0, False, 12, 540.0, "0.1.0"),
        ],
        orders=[
            OrderRow("1001", "picking", 1800.0, "normal", False),
            OrderRow("1002", "packing", 7200.0, "high", True),
            OrderRow("1003", "released", 300.0, "normal", False),
        ],
        exceptions=[
            ExceptionRow(
                "E1", "short", "Short: Red Mug at A-03-02-1 (not found)", "ST01", "1001", "L1", 120.0
            ),
            ExceptionRow("E2", "weight", "Weight 900 g outside 750-850 g", "ST02", "1002", "", 60.0),
        ],
    )


class FakeSupervisorSource:
    """An in-memory central server: actions change the floor and are recorded in `actions`."""

    server_url = "http://floor-server.test:8000/"

    def __init__(self, floor: FloorView | None = None) -> None:
        self.view = floor or sample_floor()
        self.actions: list[str] = []
        self.down = False
        self.lock = threading.Lock()
        self.reads = 0

    def floor(self) -> FloorView:
        with self.lock:
            self.reads += 1
            if self.down:
                raise SupervisorError("cannot reach the server (ConnectError: connection refused)")
            return self.view

    def _act(self, what: str) -> None:
        with self.lock:
            if self.down:
                raise SupervisorError("cannot reach the server (ConnectError: connection refused)")
            self.actions.append(what)

    def acknowledge(self, exception_id: str) -> str:
        self._act(f"ack {exception_id}")
        self.view = replace(
            self.view,
            exceptions=[
                replace(e, acknowledged=True) if e.exception_id == exception_id else e
                for e in self.view.exceptions
            ],
        )
        return f"Exception {exception_id} acknowledged."

    def revoke_lease(self, lease_id: str) -> str:
        self._act(f"revoke {lease_id}")
        return f"Lease {lease_id} revoked."

    def hold_order(self, order_id: str, reason: str) -> str:
        self._act(f"hold {order_id} {reason}")
        return f"Order {order_id} on hold."

    def release_order(self, order_id: str) -> str:
        self._act(f"release {order_id}")
        return f"Order {order_id} released."

    def set_priority(self, order_id: str, priority: str) -> str:
        self._act(f"priority {order_id} {priority}")
        self.view = replace(
            self.view,
            orders=[replace(o, priority=priority) if o.order_id == order_id else o for o in self.view.orders],
        )
        return f"Order {order_id} is now {priority} priority."
