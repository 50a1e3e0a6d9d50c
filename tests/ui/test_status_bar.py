"""The status bar tells the truth about the scanner and sync, and recovers when they do."""

from __future__ import annotations

import time

from app.station.services.terminal_ports import SyncHealth
from app.station.ui.widgets.status_bar import StatusBar
from devices.scan import ScannerStatus
from tests.ui.conftest import FROZEN_WALL, Terminal, scan, started, text, until


def status(t: Terminal) -> str:
    return text(t.app.screen.query_one(StatusBar))


def notices(t: Terminal) -> list[str]:
    return [str(n.message) for n in t.app._notifications]


async def test_it_shows_station_operator_role_scanner_sync_and_clock(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await started(pilot, picker)
        await scan(pilot, picker, "OP-1001")
        await until(pilot, lambda: "online" in status(picker))
        line = status(picker)
        assert line.startswith(" ST01 │ Ann (picker) │ ▣ keyboard │ ● online │")
        assert line.rstrip().endswith(time.strftime("%H:%M", time.localtime(FROZEN_WALL)))


async def test_an_unplugged_scanner_shows_disconnected_says_what_to_do_and_recovers(picker: Terminal) -> None:
    async with picker.run(size=(80, 24), notifications=True) as pilot:
        await started(pilot, picker)
        picker.scanner.push(ScannerStatus("disconnected", "serial:/dev/ttyACM0", "device unplugged"))
        await until(pilot, lambda: "DISCONNECTED" in status(picker))
        assert "serial:/dev/ttyACM0: DISCONNECTED" in status(picker)
        assert any("plug it back in" in n for n in notices(picker))
        assert picker.bells == 1

        picker.scanner.push(ScannerStatus("connected", "serial:/dev/ttyACM0"))
        await until(pilot, lambda: "DISCONNECTED" not in status(picker))
        assert "▣ serial:/dev/ttyACM0 │" in status(picker)
        assert any("Scanner connected again" in n for n in notices(picker))
        # the App-level worker survived: the next scan still reaches the station
        await scan(pilot, picker, "OP-1001")
        assert "Ann (picker)" in status(picker)


async def test_going_offline_shows_since_when_and_the_unsynced_scans_then_online_again(
    picker: Terminal,
) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await started(pilot, picker)
        picker.sync.current = SyncHealth(False, FROZEN_WALL - 300, 7, 240.0)
        await until(pilot, lambda: "OFFLINE" in status(picker))
        assert "○ OFFLINE 5m 7 unsynced, oldest 4m" in status(picker)

        picker.sync.current = SyncHealth(True, None, 0, None)
        await until(pilot, lambda: "● online" in status(picker))
        assert "unsynced" not in status(picker)


async def test_a_stopped_sync_says_why_in_place_of_online(picker: Terminal) -> None:
    async with picker.run(size=(80, 24)) as pilot:
        await started(pilot, picker)
        picker.sync.current = SyncHealth(True, None, 3, 60.0, "sync stopped: upgrade")
        await until(pilot, lambda: "⚠" in status(picker))
        assert "│ ⚠ sync stopped: upgrade 3 unsynced, oldest 1m │" in status(picker)

        picker.sync.current = SyncHealth(True, None, 0, None)
        await until(pilot, lambda: "● online" in status(picker))
        assert "⚠" not in status(picker)


async def test_a_re_keyed_database_is_told_beside_online_and_nothing_stops(picker: Terminal) -> None:
    async with picker.run(size=(160, 24)) as pilot:
        await started(pilot, picker)
        news = "database was restored from a copy: re-sent 3 scans as a new replica"
        picker.sync.current = SyncHealth(True, None, 3, 5.0, notice=news)
        await until(pilot, lambda: "re-sent 3 scans" in status(picker))
        assert "● online ℹ database was restored" in status(picker) and "⚠" not in status(picker)
