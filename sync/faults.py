"""Named fault points for the process-level fault tests (tests/integration/faults). Off by default.

``AISLE_FAULT=POINT[:N]`` makes this process kill itself with SIGKILL (as ``kill -9`` would) the N-th time
(default: the first) it reaches POINT. Nothing else reads it; unset, `reached` returns at once.

Points in the station's sync client (sync.client.SyncClient.push_once):

- ``before_push``: events are committed in the outbox, the push request has not been sent
  (docs/sync.md: "kill -9 of a station between commit and push");
- ``mid_push``: a timer kills the process ``AISLE_FAULT_DELAY_MS`` (default 3) milliseconds after the push
  request starts, so the server may or may not have committed the batch ("mid-push");
- ``after_response``: the server answered 200 (so it committed), the station has not marked anything
  acknowledged yet ("between response and ack").
"""

from __future__ import annotations

import os
import signal
import threading

_ENV = "AISLE_FAULT"


def _parse(value: str) -> tuple[str, int] | None:
    if not value:
        return None
    point, _, nth = value.partition(":")
    return point.strip(), int(nth) if nth.strip().isdigit() else 1


_armed = _parse(os.environ.get(_ENV, ""))
_counts: dict[str, int] = {}


def kill_self() -> None:
    """SIGKILL this process: no cleanup, no flush, exactly like `kill -9`."""
    os.kill(os.getpid(), signal.SIGKILL)


def reached(point: str) -> None:
    """Mark that the code reached `point`; dies here (or soon, for ``mid_push``) when the fault is armed."""
    if _armed is None or _armed[0] != point:
        return
    _counts[point] = _counts.get(point, 0) + 1
    if _counts[point] != _armed[1]:
        return
    if point == "mid_push":
        delay_ms = float(os.environ.get("AISLE_FAULT_DELAY_MS", "3"))
        threading.Timer(delay_ms / 1000, kill_self).start()
        return
    kill_self()
