"""The App-level scale worker: posts WeightRead whenever the bench scale settles on a new weight."""

from __future__ import annotations

import time
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from app.station.services.terminal_ports import Scale
from app.station.ui.messages import WeightRead


def watch_scale_forever(app: App[Any], scale: Scale) -> None:
    """Body of the thread worker: read with a short timeout, post changes, survive a scale that fails."""
    worker = get_current_worker()
    last: int | None = None
    while not worker.is_cancelled:
        try:
            grams = scale.read_grams(0.2)
        except Exception as exc:  # an unplugged scale: the packer types the weight meanwhile
            app.log.warning(f"scale read failed: {exc}")
            time.sleep(0.5)
            continue
        if grams is not None and grams != last:
            app.post_message(WeightRead(grams))
        # Forget the weight once the scale is empty or moving: the next parcel may weigh the same.
        last = grams
