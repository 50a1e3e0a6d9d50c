"""`open_printer(spec)`: the one place a ``[station] label_printer`` spec becomes a `LabelPrinter`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from devices.printers.base import LabelPrinter
from devices.printers.cups import CupsPrinter
from devices.printers.folder import FolderPrinter
from devices.printers.serial_port import SerialPrinter
from devices.printers.tcp import TcpPrinter

VALID_PRINTER_SPECS = (
    "a valid printer spec is tcp://HOST:9100 (raw TCP) | serial:/dev/ttyUSB0?baud=9600 (or any pyserial URL: "
    "serial:socket://HOST:PORT, loop://, socket://HOST:PORT, rfc2217://HOST:PORT) | cups://QUEUE "
    "(through lp; ?server=HOST for another CUPS server) | file:///path/to/folder (numbered job files)"
)
SERIAL_OPTIONS = {"baud", "baudrate", "bytesize", "parity", "stopbits", "rtscts", "xonxoff"}
PYSERIAL_SCHEMES = ("loop://", "socket://", "rfc2217://", "spy://", "alt://", "hwgrep://")


class PrinterSpecError(ValueError):
    """A printer spec that cannot be understood; the message names the problem and the valid forms."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; {VALID_PRINTER_SPECS}")
        self.problem = problem


def open_printer(spec: str) -> LabelPrinter:
    """Build the printer `spec` names (nothing is opened yet); PrinterSpecError (a ValueError) if wrong."""
    spec = spec.strip()
    if not spec:
        raise PrinterSpecError("no printer named (the spec is empty)")
    if spec.startswith(PYSERIAL_SCHEMES):
        return serial_printer(spec, {})
    kind = spec.partition(":")[0].lower()
    if kind == "tcp":
        return tcp_printer(spec)
    if kind == "serial":
        url, _, query = spec[len("serial:") :].partition("?")
        return serial_printer(url, options(query, spec))
    if kind == "cups":
        return cups_printer(spec)
    if kind == "file":
        return folder_printer(spec)
    raise PrinterSpecError(f"unknown printer kind {kind!r} in {spec!r}")


def options(query: str, spec: str) -> dict[str, str]:
    """``key=value&…`` as a dict; PrinterSpecError when it is not that."""
    pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=False)
    if query and not pairs:
        raise PrinterSpecError(
            f"cannot read the options {query!r} in {spec!r} (expected key=value&key=value)"
        )
    return dict(pairs)


def tcp_printer(spec: str) -> TcpPrinter:
    parts = urlsplit(spec)
    if parts.path not in ("", "/") or parts.query:
        raise PrinterSpecError(f"tcp: takes only HOST:PORT, got {spec!r}")
    try:
        port = parts.port or 9100
    except ValueError:
        raise PrinterSpecError(f"the port in {spec!r} is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise PrinterSpecError(f"tcp: needs a host, got {spec!r}")
    return TcpPrinter(parts.hostname, port)


def serial_printer(url: str, opts: dict[str, str]) -> SerialPrinter:
    if not url:
        raise PrinterSpecError("serial: needs a device or pyserial URL (serial:/dev/ttyUSB0)")
    unknown = sorted(set(opts) - SERIAL_OPTIONS)
    if unknown:
        raise PrinterSpecError(
            f"unknown serial printer option {', '.join(unknown)} (known: baud, bytesize, "
            "parity, stopbits, rtscts, xonxoff)"
        )
    baud = opts.get("baud", opts.get("baudrate", "9600"))
    bytesize = opts.get("bytesize", "8")
    stopbits = opts.get("stopbits", "1")
    parity = opts.get("parity", "N").upper()
    if not baud.isdigit() or int(baud) < 50:
        raise PrinterSpecError(f"baud={baud!r} must be a whole number such as 9600")
    if bytesize not in ("5", "6", "7", "8"):
        raise PrinterSpecError(f"bytesize={bytesize!r} must be 5 to 8")
    if stopbits not in ("1", "1.5", "2"):
        raise PrinterSpecError(f"stopbits={stopbits!r} must be 1, 1.5 or 2")
    if parity not in ("N", "E", "O", "M", "S"):
        raise PrinterSpecError(f"parity={parity!r} must be N, E or O")
    return SerialPrinter(
        url,
        baudrate=int(baud),
        bytesize=int(bytesize),
        parity=parity,
        stopbits=float(stopbits),
        rtscts=yes(opts, "rtscts"),
        xonxoff=yes(opts, "xonxoff"),
    )


def yes(opts: dict[str, str], key: str) -> bool:
    raw = opts.get(key, "0").lower()
    if raw not in ("0", "1", "yes", "no", "true", "false"):
        raise PrinterSpecError(f"{key}={raw!r} must be 0 or 1")
    return raw in ("1", "yes", "true")


def cups_printer(spec: str) -> CupsPrinter:
    parts = urlsplit(spec)
    name = unquote(parts.netloc)
    if not name or parts.path not in ("", "/"):
        raise PrinterSpecError(f"cups: needs a queue name as cups://QUEUE, got {spec!r}")
    if any(c in name for c in " /#\t"):
        raise PrinterSpecError(f"CUPS queue names have no spaces, slashes or #: {name!r}")
    opts = options(parts.query, spec)
    unknown = sorted(set(opts) - {"server"})
    if unknown:
        raise PrinterSpecError(f"unknown cups option {', '.join(unknown)} (known: server)")
    return CupsPrinter(name, server=opts.get("server", ""))


def folder_printer(spec: str) -> FolderPrinter:
    parts = urlsplit(spec)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        raise PrinterSpecError(f"file: needs an absolute folder as file:///path/to/folder, got {spec!r}")
    return FolderPrinter(Path(unquote(parts.path)))
