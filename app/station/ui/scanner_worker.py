"""The App-level scanner reader: one thread, a short read timeout, messages only through post_message."""

from __future__ import annotations

import time

from textual.app import App
from textual.worker import get_current_worker

from app.station.ui.messages import FrameRejected, ScannerStateChanged, ScanReceived
from devices.scan import RejectedFrame, Scan, Scanner, ScannerStatus

READ_TIMEOUT_S = 0.1  # short, so the worker notices cancellation quickly


def read_scanner_forever(app: App[None], scanner: Scanner) -> None:
    """Body of the thread worker: forward every scanner event to the App until cancelled.

    Runs with `exit_on_error=False`: an unplugged or broken scanner never takes the app down; it reports
    "disconnected" and the scanner reconnects by itself.
    """
    worker = get_current_worker()
    app.post_message(ScannerStateChanged("connected", scanner.source))
    try:
        while not worker.is_cancelled:
            try:
                event = scanner.read(READ_TIMEOUT_S)
            except Exception as exc:  # a scanner bug must not kill the app: report and keep going
                app.post_message(ScannerStateChanged("disconnected", scanner.source, f"scanner error: {exc}"))
                time.sleep(1.0)
                continue
            if isinstance(event, Scan):
                app.post_message(ScanReceived(event))
            elif isinstance(event, RejectedFrame):
                app.post_message(FrameRejected(event))
            elif isinstance(event, ScannerStatus):
                app.post_message(ScannerStateChanged(event.state, event.source, event.detail))
    finally:
        scanner.close()
