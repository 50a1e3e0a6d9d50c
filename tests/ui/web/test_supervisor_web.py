"""`aisle supervisor --web` in Chromium: the floor appears, a key holds an order with its reason, the server
has it on hold; and the token is in no process's command line and nowhere in the page.

With AISLE_UPDATE_SCREENSHOTS=1 the test also writes docs/images/supervisor-web.png (the README's picture).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import psutil
import pytest

from tests.ui.web.conftest import REPO, STATION, Floor, WebView, missing

try:
    from playwright.sync_api import Page
except ImportError:  # pragma: no cover - the dev extras install it
    missing("Playwright for Python (pytest-playwright)")

pytestmark = pytest.mark.slow

SCREENSHOT = REPO / "docs" / "images" / "supervisor-web.png"

# textual-serve's page keeps its xterm.js Terminal in a local variable, and draws with WebGL or a canvas (no
# text in the DOM). Before the page's scripts run, catch the Terminal where textual-serve assigns it
# (`this.terminal = new Terminal(…)`), so the test can read the terminal's own buffer: what it renders.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (!window.__aisleTerminal && value && value.buffer && value.buffer.active) {
      window.__aisleTerminal = value;
    }
  },
});
"""
READ_SCREEN = """() => {
  const t = window.__aisleTerminal;
  if (!t) {
    const rows = document.querySelector(".xterm-rows");  // the DOM renderer, should xterm.js fall back to it
    return rows ? rows.innerText : "";
  }
  const b = t.buffer.active, lines = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def screen(page: Page) -> str:
    """The text the browser's terminal shows, row by row."""
    return str(page.evaluate(READ_SCREEN))


def wait_for(page: Page, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        shown = screen(page)
        if check(shown):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"the browser never showed {what}; it shows:\n{shown}")
        page.wait_for_timeout(100)


def until_server(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"the server never saw {what}")
        time.sleep(0.1)


def on_hold_row(shown: str, order: int) -> bool:
    """The orders table shows `order` on hold (the row: cursor mark, id, status, …)."""
    return any(line.strip("▌ ").split()[:2] == [str(order), "on_hold"] for line in shown.splitlines())


def cmdlines_with(secret: str) -> list[str]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(proc.info["cmdline"] or [])
        if secret in line:
            found.append(f"{proc.info['pid']}: {line}")
    return found


def test_the_browser_shows_the_floor_and_holds_an_order_with_its_reason(
    page: Page, floor: Floor, web_view: WebView
) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.route("**/fonts.googleapis.com/**", lambda route: route.abort())  # no network: the local fonts
    page.add_init_script(CATCH_TERMINAL)
    page.goto(web_view.url)
    shown = wait_for(page, lambda s: STATION in s and str(floor.late_order) in s, f"station {STATION}")

    top = shown.splitlines()[0]
    assert f"server {floor.url}" in top and "answering" in top, top
    for station_word in ("ST01", "scanner", "DISCONNECTED", "OFFLINE", "unsynced"):
        assert station_word not in top, top
    assert "Station " in shown and "Statio " not in shown  # the stations table's first header, whole

    # a person at the keyboard: focus xterm's input, Shift+Tab to the orders table (the late order is on its
    # first row), H, the reason typed at a person's pace (faster would be a keyboard-wedge scan), Enter
    page.locator(".xterm-helper-textarea").focus()
    page.keyboard.press("Shift+Tab")
    page.wait_for_timeout(300)
    page.keyboard.press("h")
    wait_for(page, lambda s: f"HOLD ORDER {floor.late_order}" in s, "the hold reason prompt")
    page.keyboard.type("damaged box", delay=120)
    page.keyboard.press("Enter")

    def held() -> bool:
        order: dict[str, Any] = floor.admin.get(f"/orders/{floor.late_order}").json()
        return order["status"] == "on_hold" and order["hold_reason"] == "damaged box"

    until_server(held, f"order {floor.late_order} on hold for 'damaged box'")
    wait_for(page, lambda s: on_hold_row(s, floor.late_order), "the order's row on hold")

    # the token: in no command line while the view runs (the server, its tab processes, the browser) …
    tabs = psutil.Process(web_view.process.pid).children(recursive=True)
    assert any("supervisor" in " ".join(p.cmdline()) for p in tabs), "no per-tab process to look at"
    assert cmdlines_with(web_view.token) == []
    # … and nowhere in the page: its HTML and scripts, the websocket's URL, the terminal's text
    assert sockets and not any(web_view.token in url for url in sockets)
    assert web_view.token not in page.content()
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src || s.text).join('\\n')")
    assert web_view.token not in scripts
    assert web_view.token not in screen(page)

    if os.environ.get("AISLE_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
