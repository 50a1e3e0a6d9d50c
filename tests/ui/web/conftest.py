"""The supervisor view in a real browser: Debian's Chromium driven by Playwright (pytest-playwright), against
a real server with a small floor and the real `aisle supervisor --web` process.

No browser is ever downloaded (`playwright install` is not needed): Playwright launches the Chromium that
.ci/setup.sh installs with apt. In CI (CI=true) a missing Chromium or Playwright fails the test, saying how to
install it; on a developer's machine it is skipped with the same words.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import httpx
import psutil
import pytest

from app.bootstrap.server import open_database, server_app
from app.cli.demo_server import free_port
from app.cli.seed import seed_database
from app.config import Settings
from app.server.access.auth import create_token
from app.server.work.models import FloorException
from tests.support.live_server import live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("AISLE_CHROMIUM", "/usr/bin/chromium")
INSTALL = (
    "install Debian's Chromium and the dev tools: sudo apt-get install -y chromium && "
    ".venv/bin/pip install -e '.[dev]' (make setup does both; never `playwright install`)"
)
REPO = Path(__file__).resolve().parents[3]
STATION = "PICK7"  # the station the floor shows: registered with the server, as a real station does


def missing(what: str) -> NoReturn:
    """Fail in CI, skip elsewhere: the browser test never silently vanishes from CI."""
    message = f"{what} is missing: {INSTALL}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, open for one module only: Playwright's sync API runs an event
    loop in the main thread while it is open, and pytest-playwright's session-wide browser kept it running
    for every later test (asyncio.run and pytest-asyncio then refuse to start)."""
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python (pytest-playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh laptop-sized window, as a supervisor's browser would be."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@dataclass
class Floor:
    """The server the view reads, a supervisor's token for it, and the late order the test holds."""

    url: str
    admin: httpx.Client
    supervisor_token: str
    late_order: int


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[Floor]:
    """A real server on SQLite with a small floor: 20 products in stock, three orders (one late), a station
    that registered and pulled as a real one does (online), one that only registered (offline), and a short
    pick waiting for the supervisor."""
    db = open_database(f"sqlite:///{tmp_path / 'server.db'}")
    seed_database(db, skus=20, orders=0, seed=1)
    with db.session_scope(write=True) as session:
        admin, supervisor = (
            create_token(session, "admin", "admin"),
            create_token(session, "supervisor", "sue"),
        )
        tokens = {name: create_token(session, "station", name) for name in (STATION, "PACK2")}
    with live_server(server_app(Settings(), db=db)) as url:
        http = httpx.Client(
            base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {admin}"}, timeout=10
        )
        sku = http.get("/products", params={"limit": 1}).raise_for_status().json()[0]["sku"]
        ids = [
            http.post("/orders", json=order_body(f"W-{n}", sku, date.today() + timedelta(days=days)))
            .raise_for_status()
            .json()["id"]
            for n, days in enumerate(
                (-2, 1, 3)
            )  # promised two days ago: the one late order, first in the view
        ]
        for station_id, token in tokens.items():
            as_station = {"Authorization": f"Bearer {token}"}
            replica = {"station_id": station_id, "replica_id": f"r-{station_id}"}
            http.post("/sync/register", json={**replica, "app_version": "0.1.0"}, headers=as_station)
            if station_id == STATION:  # heard from just now: online; the other one registered only
                http.get("/sync/pull", params=replica, headers=as_station).raise_for_status()
        with db.session_scope(write=True) as session:  # what a station's short pick leaves for a supervisor
            message = "Short: 1 not found at A-01-02-1"
            session.add(FloorException(kind="short", station_id=STATION, order_id=ids[1], message=message))
        yield Floor(url, http, supervisor, ids[0])
        http.close()
    db.dispose()


def order_body(external_id: str, sku: str, promised: date) -> dict[str, Any]:
    return {
        "channel": "web",
        "external_id": external_id,
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "ship_to": {
            "name": "Ada Lovelace",
            "line1": "1 Analytical St",
            "city": "London",
            "postal_code": "N1",
            "country": "GB",
        },
        "lines": [{"sku": sku, "qty": 1}],
        "payment_status": "paid",
        "priority": "normal",
        "promised_ship_date": promised.isoformat(),
    }


@dataclass
class WebView:
    """`aisle supervisor --web` as a user starts it, and the token it was given (to look for leaks)."""

    url: str
    process: subprocess.Popen[bytes]
    token: str


@pytest.fixture
def web_view(floor: Floor, tmp_path: Path) -> Iterator[WebView]:
    """The real command, its token in a 0600 file; no token in its own environment or command line."""
    token_file = tmp_path / "supervisor.token"
    token_file.write_text(floor.supervisor_token + "\n")
    token_file.chmod(0o600)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISLE_")}
    env["PYTHONPATH"] = str(REPO)
    command = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", "supervisor"]
    command += ["--web", "--server", floor.url, "--token-file", str(token_file), "--port", str(port)]
    log = (tmp_path / "web.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"aisle supervisor --web did not start: {(tmp_path / 'web.log').read_text()}"
                )
            time.sleep(0.1)
        yield WebView(url, process, floor.supervisor_token)
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the web server and the per-tab processes it started (only those: found by parentage)."""
    try:
        tabs = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tabs = []
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
    for tab in tabs:
        with contextlib.suppress(psutil.NoSuchProcess):
            tab.terminate()
    psutil.wait_procs(tabs, timeout=5)
