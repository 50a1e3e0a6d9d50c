"""The background sync loop: one thread per replica pushes the outbox and pulls changes every few seconds.

Only one process may send for a replica (docs/sync.md rule 3): the worker holds an exclusive lock file by the
database; a second process on the same database (for example another `textual serve` tab) stays passive.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sync.client import SyncClient
from sync.identity import SetAside
from sync.retry import STOPPED_STATES, PushState

log = logging.getLogger("aisle.sync")
LOCAL_RETRY_S = 1.0  # after a local error (database locked, disk full) both directions retry this soon
HOUSEKEEPING_S = (
    600.0  # pruning (app/station/store/prune.py) runs this often, and again soon while it has more
)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar and the supervisor view show about this station's sync."""

    online: bool
    outbox_depth: int
    oldest_unsynced_age_s: float | None
    # ok | offline | refused | token_refused | push_failing | upgrade_required | seq_reuse_mismatch | pruned |
    # server_ahead | passive
    state: str
    detail: str = ""
    reason: str = ""  # why scans do not reach the server, in a few words for the status bar ("": they do)
    notice: str = ""  # news that needs no action, for example that a restored database re-keyed itself
    set_aside: SetAside | None = None  # a database of another server this run set aside (sync.identity)

    @property
    def stopped(self) -> bool:
        """Pushing stopped until something changes (an upgrade, a supervisor): waiting will not drain it."""
        return self.state in STOPPED_STATES


REASONS = {
    "refused": "server refuses scans",
    "push_failing": "server not taking scans: retrying",
    "upgrade_required": "sync stopped: upgrade",
    "seq_reuse_mismatch": "sync stopped: call supervisor",
    "server_ahead": "sync stopped: call supervisor",
    "pruned": "sync stopped: call supervisor",
}


class SingleSender:
    """An exclusive, non-blocking flock on `<database>.sync.lock`; released when the process dies."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(f"{db_path}.sync.lock")
        self.file: IO[str] | None = None

    def acquire(self) -> bool:
        self.file = open(self.path, "a+")  # noqa: SIM115 - held for the life of the worker
        try:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.file.close()
            self.file = None
            return False
        self.file.seek(0)
        self.file.truncate()
        self.file.write(str(os.getpid()))
        self.file.flush()
        return True

    def release(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class SyncWorker:
    """Runs `client` in a daemon thread: pushes and pulls on their own schedules, so a push the server keeps
    refusing never stops the pulls that bring operators, lease renewals and revocations (docs/sync.md 5, S9).

    Pushes go when a scan kicks the loop, or every `interval_s`; a failed push waits out its back-off (kicks
    do not shorten it), and a stopped one (upgrade required, seq reuse, server ahead, pruned) is re-checked
    only every `recheck_s`. Pulls go every `interval_s`, backing off while the server is unreachable.

    `housekeeping` (pruning what is acknowledged and past the retention, docs/sync.md rule 2) runs in this
    thread between rounds every `housekeeping_s`, never on the scan path; it returns True when it left rows
    for another pass, which then comes one `interval_s` later.
    """

    def __init__(
        self,
        client: SyncClient,
        interval_s: float = 2.0,
        lock: SingleSender | None = None,
        *,
        recheck_s: float = 300.0,
        now: Callable[[], float] = time.monotonic,
        housekeeping: Callable[[], bool] | None = None,
        housekeeping_s: float = HOUSEKEEPING_S,
    ) -> None:
        self.client, self.interval_s, self.lock = client, interval_s, lock
        self.recheck_s, self.now = recheck_s, now
        self.housekeeping, self.housekeeping_s = housekeeping, housekeeping_s
        self.housekeep_at = 0.0  # monotonic time of the next housekeeping pass
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.passive = False
        self.push_at = 0.0  # monotonic time of the next push round
        self.pull_at = 0.0  # monotonic time of the next pull round
        self.push_failing = False  # the last push round failed: a kick must not cut its back-off
        self.pull_failing = False
        self._recheck_at: float | None = None  # when a stopped push is tried again

    def start(self) -> None:
        if self.lock is not None and not self.lock.acquire():
            self.passive = True  # another process sends for this replica
            return
        self._thread = threading.Thread(target=self._run, name="aisle-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()  # do not sit out a back-off (up to minutes while offline) before exiting
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.lock is not None:
            self.lock.release()

    def kick(self) -> None:
        """A scan was recorded: push now, if the link was healthy (a failing push keeps its back-off)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception as exc:  # the sync thread must outlive any error: the queue waits for it
                self.local_trouble(exc)
            if self._wake.wait(max(0.0, min(self.push_at, self.pull_at) - self.now())):
                self._wake.clear()
                self.kicked()

    def local_trouble(self, exc: Exception) -> None:
        """A round failed on this side (say the station database stayed locked past its busy timeout):
        note it, wait a little, and try both directions again. Nothing is lost: rows stay unacknowledged."""
        log.warning("sync round failed on the station: %s", exc, exc_info=True)
        self.client.last_error = f"station database: {type(exc).__name__}: {exc}"[:200]
        retry = self.now() + LOCAL_RETRY_S
        self.push_at, self.pull_at = max(self.push_at, retry), max(self.pull_at, retry)  # never spin

    def kicked(self) -> None:
        """Bring the next push forward to now, unless pushes are failing, stopped or the link is down."""
        if not (self.push_failing or self.pull_failing or self.client.stopped):
            self.push_at = min(self.push_at, self.now())

    def tick(self) -> None:
        """Run whichever of push and pull is due."""
        if self.now() >= self.push_at:
            self.push_at = self.now() + self.push_round()
        if self.now() >= self.pull_at:
            self.pull_at = self.now() + self.pull_round()
        if self.housekeeping is not None and self.now() >= self.housekeep_at:
            self.housekeep()

    def housekeep(self) -> None:
        """One housekeeping pass; a failure (the database stayed locked) is logged and tried again later,
        and never holds up pushes and pulls."""
        assert self.housekeeping is not None
        try:
            more = self.housekeeping()
        except Exception as exc:
            log.warning("pruning the station database failed: %s", exc, exc_info=True)
            more = False
        self.housekeep_at = self.now() + (self.interval_s if more else self.housekeeping_s)

    def push_round(self) -> float:
        """Push batches until idle (at most 100); returns the seconds until the next push round."""
        if self.client.stopped:
            if self._recheck_at is None:
                self._recheck_at = self.now() + self.recheck_s
            if self.now() < self._recheck_at:
                return self._recheck_at - self.now()
            self._recheck_at = None
            state = self.client.recheck()
        else:
            state = self.client.push_once()
        for _ in range(99):
            if state is not PushState.SENT:
                break
            state = self.client.push_once()
        self.push_failing = state is PushState.RETRY
        if state is PushState.RETRY:
            return self.client.retry_in
        if state is PushState.STOPPED:
            self._recheck_at = self.now() + self.recheck_s
            return self.recheck_s
        return 0.0 if state is PushState.SENT else self.interval_s  # SENT: more to send, go on at once

    def pull_round(self) -> float:
        """Pull pages until the server has no more (at most 100); returns the seconds until the next pull."""
        for _ in range(100):
            if not self.client.pull_once():
                self.pull_failing = True
                return self.client.pull_retry_in
            if not self.client.more:
                break
        if self.pull_failing and self.push_failing and not self.client.refused:
            self.push_at = self.now()  # the link is back: the push that failed on it need not wait any more
        self.pull_failing = False
        return self.interval_s

    def step(self, pull: bool = True) -> float | None:
        """One round (tests): push until idle, then pull. The soonest retry after a failure, else None."""
        push_in = self.push_round()
        pull_in = self.pull_round() if pull else None
        failed = [push_in] if self.push_failing else []
        if pull_in is not None and self.pull_failing:
            failed.append(pull_in)
        return min(failed) if failed else None

    def status(self) -> SyncStatus:
        store = self.client.store
        oldest = store.oldest_unacked_wall()
        age = round(time.time() - oldest, 1) if oldest else None
        if self.passive:
            state = "passive"
        elif self.client.stopped:
            state = self.client.stopped
        elif self.client.auth_problem:
            state = "token_refused"  # the reason is the client's sentence: what is wrong and how to mend it
        elif self.client.refused:
            state = "refused"
        elif self.push_failing and self.client.online:
            state = "push_failing"  # the server answers pulls but not pushes (a 5xx): not "ok"
        else:
            state = "ok" if self.client.online else "offline"
        detail = self.client.last_error
        reason = REASONS.get(state, "")
        if state == "token_refused":
            reason = self.client.auth_problem or ""
        c = self.client
        return SyncStatus(c.online, store.depth(), age, state, detail, reason, c.notice, c.set_aside)
