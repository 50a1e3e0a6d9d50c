"""The sync client's port on the station database: what `sync.client` reads and writes there.

The station store (app.station.store.sync_store) implements `SyncStore` and the sync client uses it, so both
depend on this port and neither on the other. Wire types (`sync.schemas`) appear only in annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sync import schemas as w
    from sync.identity import SetAside
    from sync.rekey import Rekeyed


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One retained outbox event as the store holds it; `sync.client.push_event` makes it a wire event."""

    seq: int
    event_id: str
    type: str
    v: int
    lease: tuple[str, int] | None
    payload: dict[str, Any]
    created_wall: float
    sha256: str


class SyncStore(Protocol):
    """The station database as the sync client sees it."""

    def replica_id(self) -> str: ...

    def server_id(self) -> str | None:
        """The server this database belongs to (None until one answered with its id)."""
        ...

    def adopt_server(self, server_id: str) -> None:
        """Store `server_id` as this database's server, unless it already has one."""
        ...

    def set_aside(self, old_server: str, new_server: str, at: float) -> SetAside:
        """Keep this database (filled by `old_server`) whole in a file aside, unsent scans and all, and start
        clean: empty, a new replica, belonging to `new_server`."""
        ...

    def note_pull_attempt(self, at: float) -> None:
        """Remember when the station first tried to pull, while its reference data is not loaded yet."""
        ...

    def events_from(self, seq: int, limit: int) -> list[OutboxRow]:
        """Retained outbox rows with seq ≥ `seq`, oldest first (acknowledged ones too, for re-sends)."""
        ...

    def first_unacked_seq(self) -> int | None: ...

    def oldest_retained_seq(self) -> int | None: ...

    def last_seq(self) -> int: ...

    def acked_through(self) -> int:
        """The highest seq ever acknowledged here (0 when none)."""
        ...

    def mark_acked(self, through: int, at: float, *, first: int = 1) -> int:
        """Mark every row with `first` ≤ seq ≤ `through` acknowledged; returns how many changed."""
        ...

    def record_outcomes(self, results: list[w.PushResult]) -> None: ...

    def rekey(self, reason: str, detail: str, at: float) -> Rekeyed:
        """Retire this replica and move its unacknowledged events, unchanged, to a new replica as seqs 1..N,
        in one transaction."""
        ...

    def predecessor(self) -> w.RetiredReplica | None:
        """The replica this one took over from by a re-key, if it did."""
        ...

    def depth(self) -> int: ...

    def oldest_unacked_wall(self) -> float | None: ...

    def cursor(self) -> str | None: ...

    def apply_pull(self, pull: w.PullResponse, *, boot_now: float, margin_s: float) -> None:
        """Apply the changes and store the new cursor in one transaction."""
        ...

    def db_bytes(self) -> int | None:
        """The database's size on disk in bytes (reported to the server), None when there is no file."""
        ...

    def set_status(self, *, online: bool, status: str, detail: str, clock_offset_s: float | None) -> None: ...
