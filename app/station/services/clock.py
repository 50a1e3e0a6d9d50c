"""The system clock: `boot` counts time spent suspended (CLOCK_BOOTTIME), so leases cannot outlive a sleep."""

from __future__ import annotations

import time
from datetime import date


class SystemClock:
    """Production clock. CLOCK_BOOTTIME where the OS has it (Linux), else monotonic."""

    def boot(self) -> float:
        clock_id = getattr(time, "CLOCK_BOOTTIME", None)
        return time.clock_gettime(clock_id) if clock_id is not None else time.monotonic()

    def wall(self) -> float:
        return time.time()

    def today(self) -> date:
        return date.today()


def lease_deadline(boot_now: float, server_now: float, expires_at: float, margin_s: float) -> float:
    """A server lease expiry as a boot-clock deadline, `margin_s` early; station wall time is never used."""
    return boot_now + (expires_at - server_now) - margin_s
