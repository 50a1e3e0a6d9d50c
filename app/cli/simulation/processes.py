"""The server and headless stations as real subprocesses on loopback, always killed when done.

`StationProcess` runs ``aisle station --headless --scanner stdin``: each `scan` writes one line to its
stdin and returns the JSON outcome it printed for that scan (plus the claim that follows when the picker
asks for work). A reader thread keeps stdout flowing, so a killed or stuck station never blocks the caller.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import httpx

#: how a subprocess runs the aisle command with this interpreter (no reliance on PATH or an entry script)
AISLE = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


class ProcessError(RuntimeError):
    """A subprocess did not start, answer or exit as expected; the message says which and where its log is."""


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``aisle server --db URL`` on a free loopback port; `kill` is ``kill -9``, `start` again restarts it."""

    def __init__(
        self, db_url: str, log_dir: Path, port: int | None = None, env: dict[str, str] | None = None
    ):
        self.db_url, self.log_dir = db_url, log_dir
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerProcess:
        """Start and wait until /healthz answers."""
        self.starts += 1
        log = open(self.log_dir / f"server-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115 - child owns it
        cmd = [*AISLE, "server", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ProcessError(f"the server exited with {self.proc.returncode}; see {log.name}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise ProcessError(f"the server did not answer within {timeout:.0f} s; see {log.name}")

    def kill(self) -> None:
        """``kill -9``: no shutdown, requests in flight are cut."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        """A clean stop (SIGTERM), then kill if it hangs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class StationProcess:
    """A headless station subprocess driven through stdin, reading its JSON lines."""

    def __init__(
        self,
        station_id: str,
        role: str,
        db: Path,
        server_url: str,
        token: str,
        *,
        log_dir: Path,
        env: dict[str, str] | None = None,
        drain_seconds: float = 15.0,
    ) -> None:
        self.station_id, self.role, self.db = station_id, role, db
        self.server_url, self.token, self.log_dir = server_url, token, log_dir
        self.env = {**os.environ, "AISLE_STATION__SYNC_INTERVAL_SECONDS": "0.5", **(env or {})}
        self.drain_seconds = drain_seconds
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.printed: list[dict[str, Any]] = []  # every JSON line this process printed, in order
        self.starts = 0

    def start(self, env: dict[str, str] | None = None, timeout: float = 60.0) -> dict[str, Any]:
        """Start (or restart, on the same database) and wait for its `ready` line."""
        self.starts += 1
        cmd = [
            *AISLE, "station", "--headless", "--role", self.role, "--station-id", self.station_id,
            "--server", self.server_url, "--token", self.token, "--scanner", "stdin", "--db", str(self.db),
            "--drain-seconds", str(self.drain_seconds),
        ]  # fmt: skip
        err = open(self.log_dir / f"{self.station_id}-{self.starts}.stderr", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env={**self.env, **(env or {})},
            text=True,
            bufsize=1,
        )
        err.close()
        self.lines = queue.Queue()
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True).start()
        ready = self.next_line(timeout)
        if ready is None or ready.get("event") != "ready":
            self.kill()
            raise ProcessError(f"station {self.station_id} did not start: {ready}; see {err.name}")
        return ready

    def _read(self, stream: IO[str], out: queue.Queue[dict[str, Any] | None]) -> None:
        for raw in stream:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            self.printed.append(line)
            out.put(line)
        out.put(None)  # end of output: the process exited or was killed

    def next_line(self, timeout: float = 30.0) -> dict[str, Any] | None:
        """The next JSON line, or None when the process has ended; ProcessError after `timeout`."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise ProcessError(f"station {self.station_id} printed nothing for {timeout:.0f} s") from None

    def scan(self, text: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Scan `text`; the outcome of that scan, then the claim the picker makes when it asks for work.

        An empty list means the station died before it answered.
        """
        if not self.send(text):
            return []
        out: list[dict[str, Any]] = []
        while (line := self.next_line(timeout)) is not None:
            if "verdict" not in line:
                continue
            if not out and line.get("scan") != text:
                continue
            out.append(line)
            wants_work = line.get("expected", {}).get("kind") == "work" and line.get("code") not in (
                "no_work",
                "disk_full",  # not recorded: the station makes no claim after it
            )
            if len(out) > 1 or self.role != "picker" or not wants_work:
                return out
        return out

    def send(self, text: str) -> bool:
        """Write one scan line; False when the station is gone."""
        if self.proc is None or self.proc.stdin is None or self.proc.poll() is not None:
            return False
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            return False
        return True

    def recorded_scans(self) -> list[tuple[str, str]]:
        """(scan text, code) of every scan outcome this process printed: what the operator saw as recorded."""
        return [(x["scan"], x["code"]) for x in self.printed if "verdict" in x and "scan" in x]

    def finish(self, timeout: float = 60.0) -> dict[str, Any] | None:
        """End of input: the station drains its outbox and exits; returns its `stopped` line."""
        if self.proc is None:
            return None
        if self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        stopped = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.next_line(max(deadline - time.monotonic(), 0.1))
            if line is None:
                break
            if line.get("event") == "stopped":
                stopped = line
        try:
            self.proc.wait(max(deadline - time.monotonic(), 1.0))
        except subprocess.TimeoutExpired:
            self.kill()
            raise ProcessError(f"station {self.station_id} did not exit within {timeout:.0f} s") from None
        return stopped

    def kill(self) -> None:
        """``kill -9`` the station (no drain, no cleanup); safe to call when it already ended."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc is not None and self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.proc.stdin.close()

    def wait_dead(self, timeout: float = 30.0) -> int | None:
        """Wait for the process to end by itself (a fault point killed it); its return code, or None."""
        if self.proc is None:
            return None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
