"""karrio is loaded only when a carrier first calls it, and its loguru logs arrive in Python logging."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from app.carriers import karrio_loader

ROOT = Path(__file__).resolve().parents[3]


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_importing_the_carriers_and_the_server_does_not_import_karrio() -> None:
    code = (
        "import sys, pathlib\n"
        "import app.carriers, app.carriers.config, app.carriers.generic, app.carriers.live\n"
        "import app.carriers.registry\n"
        "import app.server.api.shipping\n"
        "from app.carriers.config import load_carriers\n"
        "from app.server.app import create_app\n"
        "from app.config import ServerSettings\n"
        "config = load_carriers(pathlib.Path('carriers.toml'))\n"
        "create_app(ServerSettings(database_url='sqlite://', migrate_on_start=False))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('karrio', 'loguru')))\n"
    )
    done = run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_karrio_logs_go_to_logging_and_nothing_to_stderr() -> None:
    code = (
        "import logging, sys\n"
        "fmt = '%(name)s|%(levelname)s|%(message)s'\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO, format=fmt)\n"
        "from app.carriers.karrio_loader import load_karrio\n"
        "load_karrio()\n"
    )
    done = run(code)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # karrio's own stderr sink was replaced before it logged
    assert "karrio.api.gateway|INFO|Karrio SDK gateway initialized" in done.stdout


def test_registered_secrets_are_blanked_in_forwarded_logs(caplog: pytest.LogCaptureFixture) -> None:
    karrio_loader.load_karrio()
    from loguru import logger

    karrio_loader.register_secret("pa55-word-99")
    with caplog.at_level(logging.DEBUG, logger="tests.karrio"):
        logger.bind(password="pa55-word-99").patch(lambda r: r.update(name="tests.karrio")).warning(
            "login with pa55-word-99 failed"
        )
    assert [r.getMessage() for r in caplog.records] == ["login with *** failed {'password': '***'}"]
    assert caplog.records[0].levelno == logging.WARNING
