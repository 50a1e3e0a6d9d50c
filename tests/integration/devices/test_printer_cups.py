"""A real CUPS: a private cupsd (its own config, spool and socket, started and stopped here) with a queue
whose ``file:`` device receives the PDF a `CupsPrinter` sends through ``lp``.

CUPS writes to a ``file:`` device only through a filter (apple/cups#4889: a raw queue with a file: device
drops the job), so the test queue's PPD routes PDF through gziptoany, CUPS's own pass-through filter: the file
gets the exact bytes. .ci/setup.sh installs cups and cups-client; in CI (CI=true) a missing CUPS fails,
elsewhere it skips.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from devices.printers import PrinterUnavailable, open_printer

FILTER = Path("/usr/lib/cups/filter/gziptoany")
PASS_THROUGH_PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "AISLEPT.PPD"
*Manufacturer: "Aisle"
*Product: "(Aisle pass-through)"
*ModelName: "Aisle pass-through"
*ShortNickName: "Aisle pass-through"
*NickName: "Aisle pass-through"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter2: "application/pdf application/vnd.cups-raw 0 gziptoany"
*OpenUI *PageSize: PickOne
*DefaultPageSize: w288h432
*PageSize w288h432/4x6: "<</PageSize[288 432]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: w288h432
*ImageableArea w288h432: "0 0 288 432"
*DefaultPaperDimension: w288h432
*PaperDimension w288h432: "288 432"
"""


def missing(what: str) -> NoReturn:
    """Fail in CI, skip elsewhere: the CUPS test never silently vanishes from CI."""
    message = f"{what} is missing: apt-get install -y cups cups-client (.ci/setup.sh does)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def tool(name: str) -> str:
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if found is None:
        missing(f"the {name} command")
    return found


class Cups:
    """A running private cupsd: its socket, and the file its test queue prints to."""

    def __init__(self, socket: Path, out: Path) -> None:
        self.socket, self.out = socket, out

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [tool(argv[0]), "-h", str(self.socket), *argv[1:]]
        return subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    cupsd = tool("cupsd")
    for name in ("lp", "lpstat", "lpadmin", "cupsdisable"):
        tool(name)
    if not FILTER.exists():
        missing(f"CUPS's pass-through filter {FILTER}")
    # not under pytest's tmp_path: the filters run as the lp user and must reach the spool
    root = Path(tempfile.mkdtemp(prefix="aisle-cups-"))
    root.chmod(0o755)
    for sub in ("conf", "spool", "cache", "state", "tmp", "log", "out"):
        (root / sub).mkdir()
    socket = root / "cups.sock"
    (root / "conf/cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
    )
    files = {
        "ServerRoot": "conf",
        "RequestRoot": "spool",
        "CacheDir": "cache",
        "StateDir": "state",
        "TempDir": "tmp",
        "AccessLog": "log/access_log",
        "ErrorLog": "log/error_log",
        "PageLog": "log/page_log",
    }
    (root / "conf/cups-files.conf").write_text(
        "FileDevice Yes\nSystemGroup root\n" + "".join(f"{k} {root / v}\n" for k, v in files.items())
    )
    (root / "pass.ppd").write_text(PASS_THROUGH_PPD)
    daemon = subprocess.Popen(
        [cupsd, "-f", "-c", str(root / "conf/cupsd.conf"), "-s", str(root / "conf/cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        running = Cups(socket, root / "out/out.prn")
        deadline = time.monotonic() + 10
        while "scheduler is running" not in running.run("lpstat", "-r").stdout:
            if daemon.poll() is not None or time.monotonic() > deadline:
                log = (root / "log/error_log").read_text() if (root / "log/error_log").exists() else ""
                pytest.fail(f"cupsd did not start: {daemon.stderr.read() if daemon.stderr else ''} {log}")
            time.sleep(0.1)
        added = running.run(
            "lpadmin", "-p", "AisleTest", "-E", "-v", f"file://{running.out}", "-P", str(root / "pass.ppd")
        )
        assert added.returncode == 0, added.stderr
        yield running
    finally:
        daemon.terminate()
        daemon.wait(10)
        shutil.rmtree(root, ignore_errors=True)


def a_pdf_label() -> bytes:
    from reportlab.lib.units import inch
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(4 * inch, 6 * inch))
    page.setFont("Helvetica-Bold", 24)
    page.drawString(20, 380, "Parcel 1 of 1")
    page.showPage()
    page.save()
    return out.getvalue()


def wait_for_file(path: Path, size: int, within: float = 15.0) -> bytes:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size >= size:
            return path.read_bytes()
        time.sleep(0.1)
    return path.read_bytes() if path.exists() else b""


def test_the_queue_receives_the_pdf_bytes(cups: Cups) -> None:
    pdf = a_pdf_label()
    printer = open_printer(f"cups://AisleTest?server={cups.socket}")
    printer.send(pdf)
    assert wait_for_file(cups.out, len(pdf)) == pdf


def test_status_through_lpstat_idle_then_paused(cups: Cups) -> None:
    printer = open_printer(f"cups://AisleTest?server={cups.socket}")
    status = printer.status()
    assert status.reachable and status.ready and status.paused is False
    assert cups.run("cupsdisable", "AisleTest").returncode == 0
    try:
        paused = printer.status()
    finally:
        cups.run("cupsenable", "AisleTest")
    assert paused.reachable and paused.paused is True and not paused.ready and paused.detail == "paused"


def test_an_unknown_queue_is_unreachable_and_refuses_the_job(cups: Cups) -> None:
    printer = open_printer(f"cups://NoSuchQueue?server={cups.socket}")
    status = printer.status()
    assert not status.reachable and "NoSuchQueue" in status.detail
    with pytest.raises(PrinterUnavailable) as caught:
        printer.send(a_pdf_label())
    assert not caught.value.maybe_printed and "lpstat -p NoSuchQueue" in caught.value.advice
