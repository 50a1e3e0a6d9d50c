"""Re-keying a restored station database (docs/sync.md "Identities"), the rules without I/O.

A station database restored from an old copy would reuse seq numbers the server already holds with other
content. The station notices (the server is ahead of it, or refuses a reused seq), retires its replica and
sends its unacknowledged events again, unchanged, as seqs 1..N of a new replica, in one local transaction.
The server dedupes by event_id, so an event it already had comes back `rejected_recorded` with a reason
starting `duplicate_event` and no effect: expected for a re-sent event, so the station records it quietly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sync import schemas as w

DUPLICATE = "duplicate_event"
"""The server's reason prefix for an event_id it had already received."""

ALREADY_RECEIVED = "already_received"
"""The station's outcome for a re-sent event the server already had: nothing was applied twice."""


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What one re-key did: `resent` unacknowledged events moved from `old` to the new replica `new`."""

    old: str
    new: str
    reason: str
    last_seq: int  # the retired replica's last seq
    acked_through: int  # how far the server had acknowledged it here
    resent: int

    def notice(self) -> str:
        """The one line for the operator and the log."""
        scans = "scan" if self.resent == 1 else "scans"
        return f"database was restored from a copy: re-sent {self.resent} {scans} as a new replica"

    def wire(self) -> w.RetiredReplica:
        """What the station tells the server when it registers the new replica."""
        return w.RetiredReplica(
            replica_id=self.old, reason=self.reason, last_seq=self.last_seq, resent=self.resent
        )


def is_duplicate(outcome: str, reason: str | None) -> bool:
    """The server's answer for an event_id it had received before (under any replica)."""
    return outcome == "rejected_recorded" and (reason or "").startswith(DUPLICATE)


def station_outcome(outcome: str, reason: str | None, *, resent: bool) -> str:
    """The outcome to keep on an outbox row: a re-sent event's duplicate is expected, not a rejection."""
    return ALREADY_RECEIVED if resent and is_duplicate(outcome, reason) else outcome


def ack_bound(acked_through: int, batch: Sequence[int], answered: Sequence[int]) -> int:
    """The highest seq a push answer lets the station mark acknowledged (I6): the server's `acked_through`,
    but never past the batch just sent, and only as far as the answer's results cover the batch without a
    hole. 0 when it covers nothing (the batch's seqs are contiguous and ascending)."""
    covered = set(answered)
    through = 0
    for seq in batch:
        if seq > acked_through or seq not in covered:
            break
        through = seq
    return through
