"""The demo's log file (server and station logs, kept off the terminal UI) rotates: a demo left running for
weeks on a station does not fill its disk ([station] log_max_mb, log_backups)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.demo_server import BackgroundServer

NAMES = ("uvicorn", "uvicorn.error", "uvicorn.access", "sync", "app", "aisle")


@pytest.fixture
def loggers() -> Iterator[None]:
    """_log_to_file rewires process-wide loggers: put them back afterwards."""
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in NAMES}
    yield
    for name, (handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        for h in logger.handlers:
            if h not in handlers:
                h.close()
        logger.handlers[:], logger.propagate = handlers, propagate


def test_the_demo_log_rotates_at_its_size_and_keeps_a_few_old_files(tmp_path: Path, loggers: None) -> None:
    log = tmp_path / "demo.log"
    BackgroundServer._log_to_file(log, max_bytes=2000, backups=2)
    for i in range(200):
        logging.getLogger("aisle.sync").warning("sync round failed on the station: %d %s", i, "x" * 40)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["demo.log", "demo.log.1", "demo.log.2"]  # the station's loggers reach it too
    assert all((tmp_path / f).stat().st_size <= 2000 for f in files)
