"""The App-level sync-health worker: asks the sync client how it is doing and posts it when it changes."""

from __future__ import annotations

import time
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from app.station.services.terminal_ports import SyncHealth, SyncHealthSource
from app.station.ui.messages import SyncHealthChanged


def watch_sync_forever(app: App[Any], source: SyncHealthSource, interval_s: float = 1.0) -> None:
    """Body of the thread worker: post SyncHealthChanged on every change (and once at start)."""
    worker = get_current_worker()
    last: SyncHealth | None = None
    while not worker.is_cancelled:
        try:
            health = source.health()
        except Exception as exc:  # a broken sync client shows as offline, never kills the terminal
            health = SyncHealth(False, None, 0, None)
            app.log.warning(f"sync health failed: {exc}")
        if health != last:
            app.post_message(SyncHealthChanged(health))
            last = health
        _wait(worker, interval_s)


def _wait(worker: Any, seconds: float) -> None:
    """Sleep in short steps so cancellation is noticed quickly."""
    end = time.monotonic() + seconds
    while not worker.is_cancelled and (left := end - time.monotonic()) > 0:
        time.sleep(min(0.05, left))
