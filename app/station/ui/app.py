"""AisleApp: the floor terminal. Thin on purpose: role screens, global keys, and the App-level workers.

One scan, end to end: the scanner worker posts ScanReceived → the App forwards it to the active screen, whose
`on_scan_received` turns it into a command → `submit` queues it for the station worker → StationAnswered
comes back → the App forwards it to the screens, which render the verdict (docs/architecture.md).
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.message import Message
from textual.timer import Timer

from app.station.services.autopilot import Autopilot
from app.station.services.commands import Command
from app.station.ui.floor_worker import watch_floor_forever
from app.station.ui.messages import (
    FloorRefreshed,
    FrameRejected,
    ScannerStateChanged,
    ScanReceived,
    StationAnswered,
    StationFailed,
    SyncHealthChanged,
    WeightRead,
)
from app.station.ui.scale_worker import watch_scale_forever
from app.station.ui.scanner_worker import read_scanner_forever
from app.station.ui.screens import screen_for_role
from app.station.ui.screens.badge import BadgeScreen
from app.station.ui.screens.help import HelpScreen
from app.station.ui.station_worker import Job, new_job, run_commands_forever
from app.station.ui.sync_worker import watch_sync_forever
from app.station.ui.terminal import Terminal
from app.station.ui.wedge_gate import WedgeGate
from app.station.ui.widgets.status_bar import StatusBar, StatusInfo
from devices.scan import Scan
from devices.wedge import WedgeDetector

STYLES = Path(__file__).with_name("styles")


class AisleApp(App[None]):
    """The station terminal for pickers, packers and supervisors."""

    TITLE = "Aisle"
    CSS_PATH: ClassVar = sorted(STYLES.glob("*.tcss"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("f9", "autopilot", "Scan for me", priority=True),
    ]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, terminal: Terminal) -> None:
        super().__init__()
        self.terminal = terminal
        self.settings = terminal.settings
        self.status = StatusInfo(
            station=self.settings.station_id,
            role=self.settings.role,
            scanner=terminal.scanner.source if terminal.scanner else "no scanner",
            scanner_ok=False,
        )
        self.jobs: queue.Queue[Job] = queue.Queue()
        self.last_answer: StationAnswered | None = None  # for a screen mounted after it came
        self._wedge = WedgeGate(self._new_detector, terminal.key_clock)
        self._wedge_timer: Timer | None = None
        self._ready_said = False
        self._autopilot_busy = False
        self._scanner_lost = False
        self._set_aside_seen = ""  # the last database of another server the sync client set aside
        self.floor_wake = threading.Event()  # set it to refresh the supervisor's floor view now

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, with the Linux/macOS one made safe against a terminal that hung up (the web
        driver of `aisle supervisor --web` and the test driver stay as they are)."""
        driver = super().get_driver_class()
        if driver.__module__ != "textual.drivers.linux_driver":
            return driver
        from app.station.ui.driver import HangupTolerantDriver  # lazy: termios, which Windows lacks

        return HangupTolerantDriver

    # --- start-up -------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.terminal.scanner is not None:
            self._start_scanner()
        if self.terminal.station is not None:
            station = self.terminal.station
            self.run_worker(
                lambda: run_commands_forever(self, station, self.jobs),
                name="station",
                group="station",
                thread=True,
                exit_on_error=False,
            )
        if self.terminal.sync is not None:
            sync = self.terminal.sync
            self.run_worker(
                lambda: watch_sync_forever(self, sync), name="sync", thread=True, exit_on_error=False
            )
        if self.terminal.scale is not None:
            scale = self.terminal.scale
            self.run_worker(
                lambda: watch_scale_forever(self, scale), name="scale", thread=True, exit_on_error=False
            )
        self.show_role(self.settings.role)
        if self.terminal.autopilot is not None:
            self.notify(
                f"Demo: F9 is a simulated scanner — it scans what is expected next. "
                f"Badge {self.terminal.autopilot.badge} picks and packs; sign out with O to switch role.",
                title="Aisle demo",
                timeout=20,
            )

    def _start_scanner(self) -> None:

        scanner = self.terminal.scanner
        assert scanner is not None
        self.run_worker(
            lambda: read_scanner_forever(self, scanner),
            name="scanner",
            group="scanner",
            thread=True,
            exit_on_error=False,
        )

    def show_role(self, role: str) -> None:
        """Show the screen of `role` (the badge screen when there is none) in place of the current one."""

        screen = screen_for_role(role, self)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.change_status(role=role)
        if role == "supervisor":
            self.start_floor_watch()
        elif self.terminal.station is not None:
            self.submit(None)  # read the session and the current line or order (resume after a restart)

    def start_floor_watch(self) -> None:
        """Start the App-level worker that keeps the supervisor's floor view fresh (once)."""
        source = self.terminal.supervisor
        if source is None or any(w.name == "floor" for w in self.workers):
            return

        interval, wake = self.settings.supervisor_refresh_s, self.floor_wake
        self.run_worker(
            lambda: watch_floor_forever(self, source, interval, wake),
            name="floor",
            thread=True,
            exit_on_error=False,
        )

    # --- commands -------------------------------------------------------------------------------------

    def submit(self, command: Command | None, scanned: str = "", started: float | None = None) -> None:
        """Queue a command for the station worker (None only reads the views); the answer arrives as
        StationAnswered. `scanned` and `started`: the scan that became the command, and when it arrived."""
        self.jobs.put(new_job(command, scanned, started))

    def submit_scan(self, message: ScanReceived) -> None:
        """What a screen does with a scan it does not keep for itself: the station (if any) records it."""
        if self.terminal.station is not None:
            self.submit(message.command(), message.scan.text, message.scan.monotonic)

    # --- messages from the workers --------------------------------------------------------------------

    def on_scan_received(self, message: ScanReceived) -> None:
        self.screen.post_message(message)  # what a scan means is the active screen's (or modal's) to say

    def on_frame_rejected(self, message: FrameRejected) -> None:
        self._to_screens(message)

    def on_scanner_state_changed(self, message: ScannerStateChanged) -> None:
        ok = message.state == "connected"
        lost_before = self._scanner_lost
        self._scanner_lost = not ok
        self.change_status(scanner=message.source, scanner_ok=ok)
        if ok:
            if lost_before:  # only a return is news; at start-up the status bar says it
                self.notify(f"Scanner connected again: {message.source}.", timeout=3)
        else:
            detail = f" ({message.detail})" if message.detail else ""
            self.notify(
                f"Scanner {message.state}{detail}. Check its cable or plug it back in; "
                "until then type codes with T.",
                severity="error",
                timeout=10,
            )
            self.ring()

    def on_station_answered(self, message: StationAnswered) -> None:
        session = message.snapshot.session
        self.change_status(operator=session.operator_name or session.operator or "", role=session.role)
        self.last_answer = message
        if message.verdict is not None and not message.verdict.accepted:
            self.ring()
        kick = getattr(self.terminal.sync, "kick", None)
        if message.verdict is not None and kick is not None:
            kick()  # something was recorded: let the sync client push it now
        self._to_screens(message)
        if self._back_to_badge(message):
            self.show_role("")
        self._after_first_screen()

    def _back_to_badge(self, message: StationAnswered) -> bool:
        """A terminal opened without a fixed role returns to the badge screen on sign-out (role change)."""
        verdict = message.verdict
        return (
            verdict is not None
            and verdict.code == "signed_out"
            and not self.settings.role
            and not isinstance(self.screen, self._badge_screen_type())
        )

    @staticmethod
    def _badge_screen_type() -> type:

        return BadgeScreen

    def on_station_failed(self, message: StationFailed) -> None:
        self.ring()
        self._to_screens(message)
        self._after_first_screen()

    def on_sync_health_changed(self, message: SyncHealthChanged) -> None:
        h = message.health
        if h.set_aside and h.set_aside != self._set_aside_seen:
            self._set_aside_seen = h.set_aside
            if self.terminal.station is not None and self.settings.role != "supervisor":
                self.show_role(self.settings.role)  # the database is a clean one now: start from its state
        self.change_status(
            online=h.online,
            offline_since=h.offline_since,
            unsynced=h.unsynced,
            oldest_unsynced_s=h.oldest_unsynced_s,
            sync_problem=h.problem,
            sync_notice=h.notice,
        )

    def on_weight_read(self, message: WeightRead) -> None:
        self._to_screens(message)

    def on_floor_refreshed(self, message: FloorRefreshed) -> None:
        self._to_screens(message)
        self._after_first_screen()

    def _to_screens(self, message: Message) -> None:
        """Forward a worker's message to every screen on the stack (the role screen under a modal too);
        each screen that shows it has an `@on(...)` handler for it, the others ignore it."""
        for screen in self.screen_stack:
            screen.post_message(message)

    # --- status bar, bell, help -----------------------------------------------------------------------

    def change_status(self, **fields: Any) -> None:
        """Update the status bar state on every screen (not at all when nothing changed)."""
        status = replace(self.status, **fields)
        if status == self.status:
            return  # every answer says who is signed in; repainting the same bar costs the scan time
        self.status = status
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.info = self.status

    def ring(self) -> None:
        """The terminal bell for a refusal, when [station] bell is on."""
        if self.settings.bell:
            self.bell()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F9 ("scan for me") exists only in the demo, where a simulated scanner stands in for a real one."""
        if action == "autopilot":
            return self.terminal.autopilot is not None
        return True

    def action_autopilot(self) -> None:
        """Demo: scan what the station expects next, through the same path as a real scanner's scans."""
        pilot = self.terminal.autopilot
        if pilot is None or self._autopilot_busy or not self.jobs.empty():
            return  # one suggestion at a time, after the last scan was answered
        if isinstance(self.screen, self._badge_screen_type()):  # the badge screen asks for a badge, whatever
            self.post_message(ScanReceived(Scan(pilot.badge, source="demo")))  # the station's session says
            return
        self._autopilot_busy = True
        self.run_worker(lambda: self._autopilot_scan(pilot), thread=True, exit_on_error=False, group="demo")

    def _autopilot_scan(self, pilot: Autopilot) -> None:
        try:
            suggestion = pilot.next_scan()
        finally:
            self._autopilot_busy = False
        if suggestion is None:
            self.call_from_thread(
                self.notify, "Nothing to scan here right now (a packer scans a picked tote).", timeout=4
            )
            return
        self.post_message(ScanReceived(Scan(suggestion.text, gs1=suggestion.gs1, source="demo")))

    def action_help(self) -> None:

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _after_first_screen(self) -> None:
        """Once the first screen with the station's state is painted: start what waited for it."""
        if not self._ready_said:
            self._ready_said = True
            self.call_after_refresh(self._first_screen_painted)

    def _first_screen_painted(self) -> None:
        if self.settings.ready_exit:
            import psutil  # lazy: only for the start-up figure AISLE_TUI_READY_EXIT prints

            rss = psutil.Process().memory_info().rss
            os.write(2, f"AISLE-READY rss={rss}\n".encode())
            self.exit()
        if self.terminal.on_ready is not None:
            self.terminal.on_ready()  # the composition root settles the heap and connects the sync worker

    # --- keyboard wedge -------------------------------------------------------------------------------

    def _new_detector(self) -> WedgeDetector:
        s = self.settings
        return WedgeDetector(s.wedge_max_interkey_ms, s.wedge_min_length, s.gs_replacement)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            result = self._wedge.key(event)
            for held in result.release:
                await super().on_event(held)
            if result.scan is not None:
                self.post_message(ScanReceived(result.scan))
            if self._wedge.held:
                self._arm_wedge_timer()
            if result.swallowed:
                return
        await super().on_event(event)

    def _arm_wedge_timer(self) -> None:
        if self._wedge_timer is not None:
            self._wedge_timer.stop()
        delay = max(self.settings.wedge_max_interkey_ms * 1.5, 20.0) / 1000
        self._wedge_timer = self.set_timer(delay, self._wedge_expired)

    async def _wedge_expired(self) -> None:
        for held in self._wedge.expire():
            await super().on_event(held)
        if self._wedge.held:
            self._arm_wedge_timer()
