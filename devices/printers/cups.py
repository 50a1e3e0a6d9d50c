"""CUPS queues (``cups://PRINTER``, ``?server=HOST`` for another server): jobs via lp, status via lpstat.

A PDF goes to the queue as a document (the queue's driver prints it on an office printer); anything else (ZPL,
EPL) goes with ``-o raw``, printer-ready, as a thermal printer's queue expects. Once ``lp`` returns a request
id, CUPS has the job on disk and retries it itself, so `send` returns. ``lp`` refusing the job (unknown queue,
scheduler not running, queue not accepting) is `PrinterUnavailable`: CUPS took nothing.
"""

from __future__ import annotations

import os
import subprocess

from devices.printers.base import PrinterStatus, PrinterUnavailable, PrintInterrupted

#: printer-state-reasons (lpstat's "Alerts:") that mean paper out or head/cover open
PAPER_OUT = ("media-empty", "media-needed")
HEAD_OPEN = ("cover-open", "door-open", "interlock-open")


class CupsPrinter:
    """A CUPS queue reached through the ``lp`` and ``lpstat`` commands (package cups-client)."""

    def __init__(
        self, name: str, *, server: str = "", timeout: float = 30.0, status_timeout: float = 5.0
    ) -> None:
        self.name, self.server = name, server
        self.spec = f"cups://{name}" + (f"?server={server}" if server else "")
        self.timeout, self.status_timeout = timeout, status_timeout

    def _run(self, argv: list[str], timeout: float, job: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        if self.server:
            argv = [argv[0], "-h", self.server, *argv[1:]]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # lpstat's words are parsed below
        return subprocess.run(argv, input=job, capture_output=True, timeout=timeout, env=env, check=False)

    def send(self, job: bytes) -> None:
        """``lp -d PRINTER`` with `job` on stdin; returns once CUPS has queued it, else PrinterError."""
        raw = [] if job.startswith(b"%PDF-") else ["-o", "raw"]
        try:
            done = self._run(["lp", "-d", self.name, "-t", "aisle label", *raw], self.timeout, job)
        except FileNotFoundError as exc:
            raise PrinterUnavailable(
                "no lp command", "install cups-client (apt-get install cups-client)"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise PrintInterrupted(
                f"lp did not finish within {self.timeout:g} s",
                f"check lpstat -o {self.name} before reprinting",
            ) from exc
        if done.returncode != 0:
            said = (done.stderr or done.stdout).decode(errors="replace").strip()
            raise PrinterUnavailable(
                f"CUPS refused the job for {self.name} ({said})",
                f"check the queue with lpstat -p {self.name}; the job stays queued",
            )

    def status(self) -> PrinterStatus:
        """``lpstat -l -p PRINTER``: reachable if the queue exists, paused if disabled, alerts for more."""
        try:
            done = self._run(["lpstat", "-l", "-p", self.name], self.status_timeout)
        except FileNotFoundError:
            return PrinterStatus(reachable=False, detail="no lpstat command (install cups-client)")
        except subprocess.TimeoutExpired:
            return PrinterStatus(
                reachable=False, detail=f"lpstat did not answer within {self.status_timeout:g} s"
            )
        text = done.stdout.decode(errors="replace")
        if done.returncode != 0 or not text.startswith(f"printer {self.name} "):
            said = (done.stderr or done.stdout).decode(errors="replace").strip()
            return PrinterStatus(reachable=False, detail=f"CUPS queue {self.name}: {said or 'no answer'}")
        return parse_lpstat(text)

    def close(self) -> None:
        """Nothing held."""


def parse_lpstat(text: str) -> PrinterStatus:
    """The status in ``lpstat -l -p PRINTER``'s words (C locale): its first line and its ``Alerts:`` line."""
    first = text.splitlines()[0]
    alerts = ""
    for line in text.splitlines()[1:]:
        if line.strip().startswith("Alerts:"):
            alerts = line.split(":", 1)[1].strip()
    reasons = [] if alerts in ("", "none") else alerts.replace(",", " ").split()
    paused = " disabled since " in first or any(r.startswith("paused") for r in reasons)
    paper_out = any(r.startswith(PAPER_OUT) for r in reasons)
    head_open = any(r.startswith(HEAD_OPEN) for r in reasons)
    state = first.split(".", 1)[0].split(" ", 2)[-1].removeprefix("is ")  # "printer P is idle" → "idle"
    detail = ", ".join(["paused"] * paused + ["paper out"] * paper_out + ["cover open"] * head_open) or state
    return PrinterStatus(
        reachable=True, paper_out=paper_out, head_open=head_open, paused=paused, detail=detail
    )
