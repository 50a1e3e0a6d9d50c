"""The supervisor view's top line: which server it reads, whether that server answers, when the view last
refreshed, and who is signed in. A supervisor's screen has no scanner, station id or outbox of its own, so it
says nothing about them (the station's StatusBar does, on the picker's and packer's screens)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from rich.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

from app.station.ui.widgets.live_table import age


@dataclass(frozen=True)
class SupervisorState:
    """What the supervisor's top line shows; replaced as a whole so one render shows one consistent state."""

    server: str = ""  # the server's address, without credentials ("" when none is configured)
    answering: bool | None = None  # None until the first read has come back
    down_since: float | None = None  # wall time of the first failed read since the server last answered
    refreshed_at: float | None = None  # wall time of the last read the server answered
    operator: str = ""  # who is signed in at this terminal ("" when nobody: `aisle supervisor` has no badge)
    role: str = ""


def server_label(url: str) -> str:
    """`url` as the bar shows it: scheme, host, port and path; a user or password in it never appears."""
    parts = urlsplit(url.strip())
    if not parts.hostname:
        return url.strip().rstrip("/")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"


def _clock(wall: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(wall))


def render_supervisor_bar(state: SupervisorState, now: float) -> str:
    """The top line as Rich markup (pure, so tests and snapshots can check it)."""
    if not state.server:
        return f" [b red]no server configured[/] │ {time.strftime('%H:%M', time.localtime(now))}"
    server = f"server {escape(state.server)}"
    if state.answering is None:
        health = "[cyan]… connecting[/]"
    elif state.answering:
        health = "[b green]● answering[/]"
    else:
        since = state.down_since if state.down_since is not None else now
        health = f"[b red]✕ NOT ANSWERING since {_clock(since)} ({age(now - since)})[/]"
    if state.refreshed_at is None:
        refreshed = "not read yet"
    else:
        refreshed = f"refreshed {_clock(state.refreshed_at)}"
        if state.answering is False:
            refreshed += f" ({age(now - state.refreshed_at)} ago)"
    who = f"{escape(state.operator)} ({escape(state.role or 'supervisor')})" if state.operator else ""
    parts = [server, health, refreshed, *([who] if who else []), time.strftime("%H:%M", time.localtime(now))]
    return " " + " │ ".join(parts)


class SupervisorBar(Static):
    """One line docked at the top of the supervisor's screen; refreshed every second for the ages."""

    DEFAULT_CSS = """
    SupervisorBar { dock: top; height: 1; background: $panel; color: $text; }
    """

    state: reactive[SupervisorState] = reactive(SupervisorState, always_update=True)

    def __init__(self, now: Callable[[], float] = time.time, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._now = now

    def on_mount(self) -> None:
        self.set_interval(1.0, self._refresh_text)
        self._refresh_text()

    def watch_state(self, _state: SupervisorState) -> None:
        self._refresh_text()

    def change(self, **fields: Any) -> None:
        """Update some fields of the shown state."""
        self.state = replace(self.state, **fields)

    def read(self, answered: bool) -> None:
        """A read of the floor came back: the server answered it, or it did not."""
        now = self._now()
        if answered:
            self.change(answering=True, down_since=None, refreshed_at=now)
        elif self.state.answering is not False:  # the first failure since it last answered: down from now
            self.change(answering=False, down_since=now)

    def _refresh_text(self) -> None:
        self.update(render_supervisor_bar(self.state, self._now()))
