"""The App-level station worker: one thread runs every command in arrival order and posts the answer.

Handlers commit to SQLite with synchronous=FULL, so they never run on the UI's event loop; one thread keeps
scans in the order they were made.
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from app.station.services.commands import Command
from app.station.services.station import Station
from app.station.ui.messages import StationAnswered, StationFailed, StationSnapshot

POLL_S = 0.1  # queue wait; short so the worker notices cancellation quickly


@dataclass(frozen=True, slots=True)
class Job:
    """A command to run (None only refreshes the views), what was scanned, and when it arrived."""

    command: Command | None
    scanned: str = ""
    started: float = 0.0


def snapshot(station: Station) -> StationSnapshot:
    """The session and the role's view, read after the last commit (in one read transaction)."""
    return StationSnapshot(*station.screen_views())


def run_commands_forever(app: App[Any], station: Station, jobs: queue.Queue[Job]) -> None:
    """Body of the thread worker: handle each job, post StationAnswered (or StationFailed) to the App."""
    worker = get_current_worker()
    while not worker.is_cancelled:
        try:
            job = jobs.get(timeout=POLL_S)
        except queue.Empty:
            continue
        try:
            verdict = station.handle(job.command) if job.command is not None else None
            app.post_message(
                StationAnswered(job.command, verdict, snapshot(station), job.scanned, job.started)
            )
        except Exception as exc:  # a failed command records nothing; say so and keep serving
            app.post_message(StationFailed(job.command, f"{type(exc).__name__}: {exc}"))


def new_job(command: Command | None, scanned: str = "", started: float | None = None) -> Job:
    """A job for `command`; `started` is when its scan or key arrived (now, when not given)."""
    return Job(command, scanned, time.monotonic() if started is None else started)
