"""The keyboard-wedge scanner as a `Scanner`: the UI's key handler pushes scans, a worker reads them."""

from __future__ import annotations

import queue
import threading

from devices.scan import ScannerEvent


class KeyboardScanner:
    """Queue-backed, thread-safe: the TUI widget (with `WedgeDetector`) calls `push`, workers `read`."""

    source = "keyboard"

    def __init__(self) -> None:
        self._queue: queue.Queue[ScannerEvent] = queue.Queue()
        self._closed = threading.Event()

    def push(self, event: ScannerEvent) -> None:
        """Deliver a scan (or status) to whoever reads; ignored after `close`."""
        if not self._closed.is_set():
            self._queue.put(event)

    def read(self, timeout: float) -> ScannerEvent | None:
        """The next pushed event, waiting at most `timeout` seconds."""
        if self._closed.is_set():
            return None
        try:
            return self._queue.get(timeout=max(timeout, 0.0)) if timeout > 0 else self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        """Stop delivering; pending events are dropped."""
        self._closed.set()
