"""The App-level floor worker: reads the supervisor's floor view from the server every few seconds."""

from __future__ import annotations

import threading
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from app.station.services.floor import SupervisorSource
from app.station.ui.messages import FloorRefreshed

STEP_S = 0.1  # how often a waiting worker checks for cancellation


def watch_floor_forever(
    app: App[Any], source: SupervisorSource, interval_s: float, wake: threading.Event
) -> None:
    """Body of the thread worker: post FloorRefreshed after every read (with the error when it failed).

    Reads again after `interval_s`, or at once when `wake` is set (after a supervisor's action).
    """
    worker = get_current_worker()
    while not worker.is_cancelled:
        wake.clear()
        try:
            app.post_message(FloorRefreshed(source.floor()))
        except Exception as exc:  # the server is down or refuses: say so, keep the last view, try again
            app.post_message(FloorRefreshed(None, str(exc) or type(exc).__name__))
        waited = 0.0
        while not worker.is_cancelled and waited < interval_s and not wake.wait(STEP_S):
            waited += STEP_S
