"""The headless station's exit: it waits for the outbox to drain, but not for a sync that has stopped."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest

from app.cli.station import HeadlessStation
from sync.worker import SyncStatus


@dataclass
class StubWorker:
    """A sync worker whose status a test sets; counts kicks and stops."""

    current: SyncStatus
    passive: bool = False
    kicks: int = 0
    stopped: list[bool] = field(default_factory=list)

    def status(self) -> SyncStatus:
        return self.current

    def kick(self) -> None:
        self.kicks += 1

    def stop(self) -> None:
        self.stopped.append(True)


def _drain(worker: StubWorker, seconds: float, capsys: pytest.CaptureFixture[str]) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.monotonic()
    HeadlessStation(None, worker, "picker", None).drain(seconds)
    took = time.monotonic() - started
    return took, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.parametrize("state", ["upgrade_required", "seq_reuse_mismatch", "server_ahead"])
def test_a_stopped_sync_ends_the_drain_at_once_and_says_why(
    state: str, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = StubWorker(SyncStatus(True, 5, 30.0, state, "the server refuses this station's events"))
    took, line = _drain(worker, 3.0, capsys)
    assert took < 1.0 and worker.stopped == [True]
    assert line["event"] == "stopped" and line["outbox_depth"] == 5 and line["sync"] == state
    assert state in line["why"] and "queued" in line["why"]


def test_an_empty_outbox_ends_the_drain_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    took, line = _drain(StubWorker(SyncStatus(True, 0, None, "ok")), 3.0, capsys)
    assert took < 1.0 and line["outbox_depth"] == 0 and line["why"] == "drained"


def test_an_unreachable_server_gets_the_full_drain_time_then_the_scans_stay_queued(
    capsys: pytest.CaptureFixture[str],
) -> None:
    worker = StubWorker(SyncStatus(False, 2, 10.0, "offline", "push failed: ConnectError"))
    took, line = _drain(worker, 0.5, capsys)
    assert 0.5 <= took < 2.0 and worker.kicks >= 3
    assert line["outbox_depth"] == 2 and "gave up after 0.5 s" in line["why"]
