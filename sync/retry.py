"""The states of a push attempt and the back-off between attempts (the station's sync client, sync.client)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum


class PushState(StrEnum):
    IDLE = "idle"  # nothing to send
    SENT = "sent"  # a batch was acknowledged
    RETRY = "retry"  # network trouble or a refusal: the same batch goes again after the back-off
    STOPPED = "stopped"  # upgrade required, pruned events the server needs, or a restore not cured by re-key


STOPPED_STATES = ("upgrade_required", "seq_reuse_mismatch", "server_ahead", "pruned")
"""Push states that retrying cannot cure: the station keeps its queue and re-checks only rarely. A restore
(server_ahead, seq_reuse_mismatch) stops only when re-keying did not cure it (sync.rekey)."""


@dataclass
class Backoff:
    """Exponential back-off with full jitter: uniform(0, min(cap, base·2^n))."""

    base: float = 0.5
    cap: float = 30.0
    attempts: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self) -> float:
        # The exponent stops growing once the cap is reached: 2**attempts overflows a float after ~1000
        # failures (a station kicked by every scan while the server refuses it gets there in minutes).
        delay = self.rng.uniform(0, min(self.cap, self.base * 2 ** min(self.attempts, 32)))
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0
