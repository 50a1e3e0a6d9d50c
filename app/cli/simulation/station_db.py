"""Read-only views of a station database file for invariant checks (plain sqlite3: no migrations, no locks
held longer than one query)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    event_id: str
    type: str
    sha256: str
    acked: bool
    outcome: str | None


@dataclass(frozen=True, slots=True)
class RetiredEntry:
    """An outbox row of a replica this database retired when it re-keyed (sync.rekey)."""

    replica_id: str
    seq: int
    event_id: str
    sha256: str
    acked: bool
    new_seq: int | None  # the seq it was sent again under by the successor; None when acked already


@dataclass(frozen=True, slots=True)
class ScanEntry:
    text: str
    source: str
    outcome: str
    code: str


class StationDb:
    """One station's SQLite file: its replica, outbox and scan records."""

    def __init__(self, path: Path, station_id: str = "") -> None:
        self.path, self.station_id = Path(path), station_id

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def replica_id(self) -> str:
        return str(self._rows("SELECT replica_id FROM replica")[0][0])

    def last_seq(self) -> int:
        """The highest seq this replica ever assigned (next_seq - 1)."""
        return int(self._rows("SELECT next_seq FROM replica")[0][0]) - 1

    def outbox(self) -> list[OutboxEntry]:
        rows = self._rows("SELECT seq, event_id, type, sha256, acked, outcome FROM outbox ORDER BY seq")
        return [OutboxEntry(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def retired_outbox(self) -> list[RetiredEntry]:
        """The rows of retired replicas, as they were (none in a database that never re-keyed)."""
        if not self._rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'retired_outbox'"):
            return []
        rows = self._rows(
            "SELECT replica_id, seq, event_id, sha256, acked, new_seq FROM retired_outbox "
            "ORDER BY replica_id, seq"
        )
        return [RetiredEntry(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def depth(self) -> int:
        return int(self._rows("SELECT count(*) FROM outbox WHERE acked = 0")[0][0])

    def leases(self) -> dict[str, int]:
        """The lines this station may still pick on (open), with the lease token it holds for each."""
        return {
            str(r[0]): int(r[1])
            for r in self._rows("SELECT line_id, lease_token FROM work_lines WHERE status = 'open'")
        }

    def scans(self, source: str | None = None) -> list[ScanEntry]:
        """Scan records in the order they were committed (optionally only those from one scanner source)."""
        rows = self._rows("SELECT text, source, outcome, code FROM scans ORDER BY id")
        return [ScanEntry(*r) for r in rows if source is None or r[1] == source]

    def sync_status(self) -> tuple[str, str]:
        """(status, detail) of the sync state: ok, seq_reuse_mismatch, server_ahead, …"""
        status, detail = self._rows("SELECT status, detail FROM sync_state")[0]
        return str(status), str(detail)
