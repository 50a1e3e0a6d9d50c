"""`open_printer(spec)`: each kind of spec, and bad specs named; lpstat's words read as a status."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.printers import LabelPrinter, PrinterSpecError, open_printer
from devices.printers.cups import CupsPrinter, parse_lpstat
from devices.printers.folder import FolderPrinter
from devices.printers.serial_port import SerialPrinter
from devices.printers.tcp import TcpPrinter


def test_tcp_spec() -> None:
    printer = open_printer("tcp://10.0.0.50:9100")
    assert isinstance(printer, TcpPrinter) and (printer.host, printer.port) == ("10.0.0.50", 9100)
    assert isinstance(printer, LabelPrinter)
    default = open_printer("tcp://zebra-bench-3")
    assert isinstance(default, TcpPrinter) and default.port == 9100


def test_serial_specs_take_any_pyserial_url() -> None:
    printer = open_printer("serial:/dev/ttyUSB0?baud=19200&parity=e&rtscts=1")
    assert isinstance(printer, SerialPrinter) and printer.url == "/dev/ttyUSB0"
    assert printer.settings["baudrate"] == 19200 and printer.settings["parity"] == "E"
    assert printer.settings["rtscts"] is True
    for spec, url in [
        ("loop://", "loop://"),
        ("socket://10.0.0.9:4001", "socket://10.0.0.9:4001"),
        ("serial:rfc2217://box:7000", "rfc2217://box:7000"),
    ]:
        printer = open_printer(spec)
        assert isinstance(printer, SerialPrinter) and printer.url == url


def test_cups_and_folder_specs() -> None:
    cups = open_printer("cups://Zebra_GK420d")
    assert isinstance(cups, CupsPrinter) and (cups.name, cups.server) == ("Zebra_GK420d", "")
    other = open_printer("cups://Office?server=print.local:631")
    assert isinstance(other, CupsPrinter) and other.server == "print.local:631"
    folder = open_printer("file:///var/aisle/labels")
    assert isinstance(folder, FolderPrinter) and folder.folder == Path("/var/aisle/labels")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "empty"),
        ("lpt:1", "unknown printer kind 'lpt'"),
        ("tcp://:9100", "needs a host"),
        ("tcp://host:99999", "port"),
        ("tcp://host:9100/x", "only HOST:PORT"),
        ("serial:", "needs a device"),
        ("serial:/dev/ttyUSB0?speed=9600", "unknown serial printer option speed"),
        ("serial:/dev/ttyUSB0?baud=fast", "baud='fast'"),
        ("serial:/dev/ttyUSB0?bytesize=9", "bytesize"),
        ("serial:/dev/ttyUSB0?parity=X", "parity"),
        ("cups://", "needs a queue name"),
        ("cups://Zebra?copies=2", "unknown cups option copies"),
        ("file://relative/dir", "absolute folder"),
    ],
)
def test_bad_specs_raise_a_value_error_naming_the_problem(spec: str, problem: str) -> None:
    with pytest.raises(ValueError, match="a valid printer spec is") as caught:
        open_printer(spec)
    assert isinstance(caught.value, PrinterSpecError)
    assert problem in caught.value.problem


def test_lpstat_idle_printing_and_disabled() -> None:
    idle = parse_lpstat("printer Zebra is idle.  enabled since Fri 04 Dec 2026\n\tAlerts: none\n")
    assert idle.ready and idle.known and idle.detail == "idle"
    busy = parse_lpstat("printer Zebra now printing Zebra-7.  enabled since Fri 04 Dec 2026\n")
    assert busy.ready and busy.detail == "now printing Zebra-7"
    disabled = parse_lpstat("printer Zebra disabled since Fri 04 Dec 2026 -\n\tPaused\n\tAlerts: paused\n")
    assert disabled.paused and not disabled.ready and disabled.detail == "paused"


def test_lpstat_alerts_for_paper_and_cover() -> None:
    text = "printer Zebra is idle.  enabled since Fri\n\tAlerts: media-empty-error cover-open-warning\n"
    status = parse_lpstat(text)
    assert (status.paper_out, status.head_open, status.paused) == (True, True, False)
    assert status.detail == "paper out, cover open"
