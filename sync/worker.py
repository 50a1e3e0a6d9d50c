"""The background sync loop: one thread per replica pushes the outbox and pulls changes every few seconds.

Only one process may send for a replica (SYNC.md rule 3): the worker holds an exclusive lock file next to the
database; a second process on the same database (for example another `textual serve` tab) stays passive.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sync.client import PushState, SyncClient


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar and the supervisor view show about this station's sync."""

    online: bool
    outbox_depth: int
    oldest_unsynced_age_s: float | None
    state: str  # ok | offline | upgrade_required | seq_reuse_mismatch | pruned | server_ahead | passive
    detail: str = ""


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
    """Runs `client` in a daemon thread: push until idle, pull every `interval_s`, back off while offline."""

    def __init__(self, client: SyncClient, interval_s: float = 2.0, lock: SingleSender | None = None) -> None:
        self.client, self.interval_s, self.lock = client, interval_s, lock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.passive = False

    def start(self) -> None:
        if self.lock is not None and not self.lock.acquire():
            self.passive = True  # another process sends for this replica
            return
        self._thread = threading.Thread(target=self._run, name="aisle-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.lock is not None:
            self.lock.release()

    def kick(self) -> None:
        """Wake the loop now (after a scan was recorded) instead of at the next interval."""
        self._wake.set()

    def _run(self) -> None:
        next_pull = 0.0
        while not self._stop.is_set():
            delay = self.step(pull=time.monotonic() >= next_pull)
            if delay is None:
                next_pull = time.monotonic() + self.interval_s
                delay = self.interval_s
            self._wake.wait(delay)
            self._wake.clear()

    def step(self, pull: bool = True) -> float | None:
        """One round: push until idle, then pull. Returns the back-off delay after a failure, else None."""
        for _ in range(100):  # at most 100 batches per round, then pull
            state = self.client.push_once()
            if state is PushState.RETRY:
                return self.client.retry_in
            if state is not PushState.SENT:
                break
        for _ in range(100 if pull else 0):  # pages of changes, until the server has no more
            if not self.client.pull_once():
                return self.client.retry_in
            if not self.client.more:
                break
        return None

    def status(self) -> SyncStatus:
        store = self.client.store
        oldest = store.oldest_unacked_wall()
        age = round(time.time() - oldest, 1) if oldest else None
        if self.passive:
            state = "passive"
        else:
            state = self.client.stopped or ("ok" if self.client.online else "offline")
        return SyncStatus(self.client.online, store.depth(), age, state, self.client.last_error)
