"""karrio, loaded once and only when a carrier needs it, with its loguru logs routed into Python logging.

karrio takes ~0.4 s to import and logs through loguru (to stderr, at import already), so it is never
imported at start-up or on the scan path: `load_karrio()` is called by a carrier's first karrio call. Before
the SDK's import (and after karrio's logger module, which installs its own stderr sink when imported),
loguru's sinks are removed and one sink added that hands each record to the
`logging` logger of the same name (``karrio.api.gateway`` …), so Aisle's logging configuration decides what
is shown. Every registered credential value is replaced by ``***`` in what is forwarded, whatever karrio
chose to log.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_sdk: ModuleType | None = None
_secrets: set[str] = set()

_LEVELS = {"TRACE": 5, "DEBUG": 10, "INFO": 20, "SUCCESS": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


def register_secret(value: str) -> None:
    """Have `value` blanked out of every karrio log line forwarded from now on."""
    if value:
        _secrets.add(value)


def redact(text: str) -> str:
    """`text` with every registered secret replaced by ***."""
    for secret in _secrets:
        text = text.replace(secret, "***")
    return text


def forward(message: Any) -> None:
    """The loguru sink: one loguru record to the logging logger of its module, redacted."""
    record = message.record
    text = str(record["message"])
    if record["extra"]:
        text = f"{text} {record['extra']!r}"
    logger = logging.getLogger(str(record["name"] or "karrio"))
    level = _LEVELS.get(record["level"].name, record["level"].no)
    if logger.isEnabledFor(level):
        exc = record["exception"]
        logger.log(level, "%s", redact(text), exc_info=(exc.type, exc.value, exc.traceback) if exc else None)


def route_loguru() -> None:
    """Replace loguru's sinks by `forward` (karrio is loguru's only user in Aisle)."""
    from loguru import logger

    logger.remove()
    logger.add(forward, level=0, format="{message}", backtrace=False, diagnose=False)


def load_karrio() -> ModuleType:
    """`karrio.sdk`, imported on first call, loguru routed first (so its import-time log is caught too)."""
    global _sdk
    with _lock:
        if _sdk is None:
            import karrio.core.utils.logger  # installs karrio's stderr sink: replace it before the SDK logs

            route_loguru()
            import karrio.sdk

            _sdk = karrio.sdk
        return _sdk


def off_event_loop(call: Callable[[], T]) -> T:
    """`call()` where karrio can run: karrio sends its requests through `asyncio.run`, which refuses a thread
    whose event loop is running (an async endpoint, a test under Playwright's sync API); there the call runs
    in a thread of its own and this one waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="karrio") as pool:
        return pool.submit(call).result()
