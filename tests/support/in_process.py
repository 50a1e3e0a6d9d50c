"""A station engine in this process (the headless station's composition root, without stdout), answering
scans with the same JSON-shaped outcomes, so the simulated operators can drive many of them cheaply."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from app.cli.station import HeadlessStation
from app.config import load_settings
from app.station.services.commands import ClaimWork, RecordScan


class InProcessStation:
    """Duck-types `StationProcess.scan` for `app.cli.simulation.operators`."""

    def __init__(self, station_id: str, db: Path, server_url: str, token: str) -> None:
        self.station_id, self.db = station_id, db
        settings = load_settings()
        settings.station.sync_interval_seconds = 1.0
        self.runner = HeadlessStation.build(
            settings, "picker", station_id, db, server=server_url, token=token, sync=True
        )
        self.printed: list[dict[str, Any]] = []

    def start(self, timeout: float = 120.0) -> None:
        """Start the sync worker and wait for its first pull (the reference-data snapshot)."""
        self.runner.worker.start()
        deadline = time.monotonic() + timeout
        while not self.pulled():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.station_id} got no snapshot in {timeout:.0f} s")
            time.sleep(0.1)

    def pulled(self) -> bool:
        """True once a pull was applied. Read without the store: its transactions take the write lock."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT cursor FROM sync_state").fetchone()[0] is not None

    def scan(self, text: str) -> list[dict[str, Any]]:
        verdict = self.runner.station.handle(RecordScan(text, source="stdin"))
        out = [self.runner.line(verdict, text, None)]
        if verdict.expect.kind.value == "work" and verdict.code != "no_work":
            out.append(self.runner.line(self.runner.station.handle(ClaimWork(source="headless")), None, None))
        self.runner.worker.kick()
        self.printed += out
        return out

    def depth(self) -> int:
        return int(self.runner.worker.status().outbox_depth)

    def stop(self) -> None:
        self.runner.worker.stop()
