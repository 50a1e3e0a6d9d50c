"""Every Aisle terminal dies with its terminal (issue 12 point 1): `aisle demo`, `aisle station` (the TUI,
with a serial scanner on a pty) and `aisle supervisor`, each on a real pty as its controlling terminal.

Killed three ways: the window closes under `make` (the tty hangs up, no signal reaches aisle: make gets the
SIGHUP and waits), SIGHUP and SIGTERM. Each time the process is gone within 2 s, and what the next start needs
is free: the serial port opens exclusively, the station database takes a write lock, the sync lock is free.
The demo runs share one directory (seeded once) and the station runs one database, so each run also starts
on what the run before it was killed on.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
import serial

from tests.support.pty_terminal import PtyTerminal, gone_within

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs POSIX ptys"),
]

DEADLINE_S = 2.0
KILLS = ["window closed under make", "SIGHUP", "SIGTERM"]


def closed_port() -> str:
    """A loopback URL nobody listens on: the station's sync worker starts (and locks) but cannot reach it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def exclusive_open_works(path: str) -> bool:
    try:
        serial.serial_for_url(path, exclusive=True).close()
    except serial.SerialException:
        return False
    return True


def lock_is_free(path: Path) -> bool:
    with path.open("a") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    return True


def database_is_free(path: Path) -> None:
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")  # fails with "database is locked" while a writer holds it
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        conn.rollback()
    finally:
        conn.close()


def wait_until(condition: Callable[[], bool], what: str, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def holds(proc: psutil.Process, path: Path) -> bool:
    try:
        return any(Path(f.path) == path.resolve() for f in proc.open_files())
    except psutil.Error:
        return False


def kill_and_check(term: PtyTerminal, how: str) -> None:
    """Kill the terminal `how`; the aisle process must be gone within DEADLINE_S, exit code 128 + signal."""
    proc = term.aisle()
    if how == "window closed under make":
        term.hang_up()
    else:
        proc.send_signal(getattr(signal, how))
    code, problem = gone_within(proc, DEADLINE_S)
    assert problem is None, f"{how}: {problem}"
    expected = 128 + (signal.SIGTERM if how == "SIGTERM" else signal.SIGHUP)
    if term.under_make:
        code = term.proc.wait(5)  # make passes its child's exit code on
    assert code == expected, f"{how}: exit code {code}, not {expected} (the orderly exit on that signal)"


@pytest.fixture
def terminals() -> Iterator[list[PtyTerminal]]:
    started: list[PtyTerminal] = []
    yield started
    for term in started:
        term.close()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def station_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("station") / "station.db"


@pytest.mark.parametrize("how", KILLS)
def test_the_demo_dies_with_its_terminal(how: str, demo_dir: Path, terminals: list[PtyTerminal]) -> None:
    args = ["demo", "--port", "0", "--db", str(demo_dir / "demo-server.db")]
    term = PtyTerminal(args, demo_dir, under_make=how == "window closed under make")
    terminals.append(term)
    term.wait_for(b"badge")
    station_db = demo_dir / "var" / "demo-station-DEMO1.db"
    sync_lock = Path(f"{station_db}.sync.lock")
    wait_until(lambda: holds(term.aisle(), sync_lock), "the demo station's sync worker never started")

    kill_and_check(term, how)

    assert lock_is_free(sync_lock)
    database_is_free(station_db)
    database_is_free(demo_dir / "demo-server.db")


@pytest.mark.parametrize("how", KILLS)
def test_a_station_with_a_serial_scanner_dies_with_its_terminal(
    how: str, station_db: Path, terminals: list[PtyTerminal]
) -> None:
    scanner_master, scanner_slave = os.openpty()  # the scanner: its slave end stands in for /dev/ttyACM0
    port = os.ttyname(scanner_slave)
    os.close(scanner_slave)
    try:
        args = ["station", "--db", str(station_db), "--scanner", f"serial:{port}"]
        args += ["--server", closed_port(), "--token", "t"]
        term = PtyTerminal(args, station_db.parent, under_make=how == "window closed under make")
        terminals.append(term)
        term.wait_for(b"badge")
        wait_until(lambda: not exclusive_open_works(port), "the station never opened its scanner's port")
        sync_lock = Path(f"{station_db}.sync.lock")
        wait_until(lambda: holds(term.aisle(), sync_lock), "the station's sync worker never started")

        kill_and_check(term, how)

        assert exclusive_open_works(port), "the scanner's port is still locked"
        assert lock_is_free(sync_lock)
        database_is_free(station_db)
    finally:
        os.close(scanner_master)


@pytest.mark.parametrize("how", ["window closed under make", "SIGTERM"])
def test_the_supervisor_view_dies_with_its_terminal(
    how: str, tmp_path: Path, terminals: list[PtyTerminal]
) -> None:
    args = ["supervisor", "--server", closed_port(), "--token", "t"]
    term = PtyTerminal(args, tmp_path, under_make=how == "window closed under make")
    terminals.append(term)
    term.wait_for(b"Revoke")  # its footer: the supervisor screen is up

    kill_and_check(term, how)
