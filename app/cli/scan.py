"""`aisle scan`: print live scans and what they mean — what an installer runs when connecting a scanner.

Reads the scanner named by ``--scanner`` (default: [station] scanner in config.toml) until Ctrl+C, printing
status changes, rejected frames with their reason, and each scan with its AIM identifier, its text (GS shown
as ``<GS>``), its interpretation against ``--catalogue`` (empty by default: every product is unknown) and,
for GS1 data and ITF-14 case codes, every element it carries: AI, title, value (dates as YYYY-MM-DD).
``keyboard`` reads lines typed (or wedge-scanned) into this terminal.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

from app.cli import UserError
from app.cli.scan_support import event_line, load_catalogue
from app.config import load_settings
from app.domain.symbology import is_gs1_aim, split_aim, symbology_for_aim
from devices.keyboard import KeyboardScanner
from devices.scan import GS, Scan, ScannerStatus
from devices.spec import ScannerSpecError

READ_TIMEOUT = 0.2
END_OF_INPUT = "end of input"


def register(subparsers: Any) -> None:
    """Add `aisle scan` to the command line."""
    parser = subparsers.add_parser(
        "scan",
        help="print live scans and their interpretation (for installers)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scanner", metavar="SPEC", help="scanner spec, e.g. serial:/dev/ttyACM0?suffix=CR")
    parser.add_argument("--catalogue", type=Path, metavar="FILE", help="products: .json or .csv (see README)")
    parser.add_argument("--locations", type=Path, metavar="FILE", help="known locations, one a line")
    parser.add_argument(
        "--count", type=int, default=0, metavar="N", help="stop after N scans (0: until Ctrl+C)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read and print until Ctrl+C, the end of a script, or --count scans."""
    # lazy: biip and the station's settings conversions load only for the command that runs
    from app.bootstrap.config import camera_options, label_rules, serial_options
    from app.domain.interpret import describe_scan, interpret
    from devices.factory import open_scanner

    settings = load_settings()
    rules = label_rules(settings)
    catalogue = load_catalogue(args.catalogue, args.locations)
    spec = args.scanner or settings.station.scanner
    try:
        scanner = open_scanner(spec, serial_options(settings.scanner), camera_options(settings.camera))
    except ScannerSpecError as exc:
        raise UserError(str(exc)) from None
    if isinstance(scanner, KeyboardScanner):
        _feed_from_stdin(scanner, settings.scanner.gs_replacement)
    print(f"Reading {scanner.source}; Ctrl+C stops.", flush=True)
    scans = 0
    try:
        while not getattr(scanner, "exhausted", False):
            event = scanner.read(READ_TIMEOUT)
            if event is None:
                continue
            meaning, elements = None, []
            if isinstance(event, Scan):
                scans += 1
                meaning = interpret(
                    event.text, gs1=event.gs1, aim=event.aim, catalogue=catalogue, rules=rules
                )
                elements = describe_scan(event.text, gs1=event.gs1, aim=event.aim, rules=rules)
            print(event_line(event, meaning, elements), flush=True)
            if isinstance(event, ScannerStatus) and event.detail == END_OF_INPUT:
                break
            if args.count and scans >= args.count:
                break
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        scanner.close()
    return 0


def _feed_from_stdin(scanner: Any, gs_replacement: str) -> None:
    """Each line typed or wedge-scanned into the terminal becomes a keyboard scan (no timing in line mode)."""

    def pump() -> None:
        scanner.push(ScannerStatus("connected", "keyboard", "type or scan into this terminal"))
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            if gs_replacement:
                text = text.replace(gs_replacement, GS)
            aim, data = split_aim(text)
            if data:
                name = symbology_for_aim(aim, data).name if aim else None
                scanner.push(
                    Scan(data, line.encode(), name, aim, is_gs1_aim(aim), "keyboard", time.monotonic())
                )
        scanner.push(ScannerStatus("disconnected", "keyboard", END_OF_INPUT))

    threading.Thread(target=pump, name="aisle-scan-stdin", daemon=True).start()
