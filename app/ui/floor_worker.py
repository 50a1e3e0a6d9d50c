"""The App-level floor worker: reads the supervisor's floor view from the server every few seconds."""

from __future__ import annotations

import time
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from app.services.floor import SupervisorSource
from app.ui.messages import FloorRefreshed


def watch_floor_forever(app: App[Any], source: SupervisorSource, interval_s: float) -> None:
    """Body of the thread worker: post FloorRefreshed after every read, with the error when it failed."""
    worker = get_current_worker()
    while not worker.is_cancelled:
        try:
            app.post_message(FloorRefreshed(source.floor()))
        except Exception as exc:  # the server is down or refuses: say so, keep the last view, try again
            app.post_message(FloorRefreshed(None, str(exc) or type(exc).__name__))
        end = time.monotonic() + interval_s
        while not worker.is_cancelled and (left := end - time.monotonic()) > 0:
            time.sleep(min(0.05, left))
