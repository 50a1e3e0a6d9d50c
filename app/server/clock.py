"""The server clock, as a dependency: leases expire on it (S8), never on a station's clock.

Tests replace it with `app.state.clock = lambda: …` to move time without sleeping.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request


def server_now(request: Request) -> float:
    """Seconds since the epoch on the server clock (`app.state.clock` when set, else time.time)."""
    clock = getattr(request.app.state, "clock", None) or time.time
    return float(clock())


NowDep = Annotated[float, Depends(server_now)]
