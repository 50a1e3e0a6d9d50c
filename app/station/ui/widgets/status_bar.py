"""The status bar (top line): station, operator, role, scanner, sync health and the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from textual.reactive import reactive
from textual.widgets import Static


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status bar shows; replaced as a whole so one render shows one consistent state."""

    station: str = ""
    operator: str = ""
    role: str = ""
    scanner: str = "no scanner"
    scanner_ok: bool = False
    online: bool = False
    offline_since: float | None = None  # wall time
    unsynced: int = 0
    oldest_unsynced_s: float | None = None
    sync_problem: str = ""  # why scans do not reach the server although it answers ("" when they do)
    sync_notice: str = ""  # news about sync that needs no action (a restored database re-keyed itself)


def _age(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"


def render_status(info: StatusInfo, now: float) -> str:
    """The status line as Rich markup (pure, so tests and snapshots can check it)."""
    if info.scanner_ok:
        scanner = f"[green]▣ {info.scanner}[/]"
    else:
        scanner = f"[b red]▣ {info.scanner}: DISCONNECTED[/]"
    if info.sync_problem:
        sync = f"[b red]⚠ {info.sync_problem}[/]"
    elif info.online:
        sync = "[green]● online[/]" + (f" [cyan]ℹ {info.sync_notice}[/]" if info.sync_notice else "")
    else:
        since = f" {_age(now - info.offline_since)}" if info.offline_since else ""
        sync = f"[b yellow]○ OFFLINE{since}[/]"
    if info.unsynced:
        oldest = f", oldest {_age(info.oldest_unsynced_s)}" if info.oldest_unsynced_s is not None else ""
        sync += f" [yellow]{info.unsynced} unsynced{oldest}[/]"
    who = f"{info.operator or 'no operator'} ({info.role or 'no role'})"
    clock = time.strftime("%H:%M", time.localtime(now))
    return f" {info.station} │ {who} │ {scanner} │ {sync} │ {clock}"


class StatusBar(Static):
    """One line docked at the top (the footer with the keys takes the bottom).

    Refreshed on every change and every few seconds, for the ages and the clock.
    """

    DEFAULT_CSS = """
    StatusBar { dock: top; height: 1; background: $panel; color: $text; }
    """

    info: reactive[StatusInfo] = reactive(StatusInfo, always_update=True)

    def __init__(self, now: Callable[[], float] = time.time, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._now = now

    def on_mount(self) -> None:
        self.set_interval(5.0, self._refresh_text)
        self._refresh_text()

    def watch_info(self, _info: StatusInfo) -> None:
        self._refresh_text()

    def change(self, **fields: Any) -> None:
        """Update some fields of the shown state."""
        self.info = replace(self.info, **fields)

    def _refresh_text(self) -> None:
        self.update(render_status(self.info, self._now()))
