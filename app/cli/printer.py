"""`aisle printer check SPEC` and `aisle printer test SPEC`: for installers connecting a label printer.

SPEC is what `[station] label_printer` takes (tcp://HOST:9100, serial:/dev/ttyUSB0?baud=9600, cups://QUEUE,
file:///folder); with no SPEC the configured one is used.
"""

from __future__ import annotations

import argparse

from app.cli import UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `printer` subcommand with `check` and `test`."""
    parser = subparsers.add_parser(
        "printer",
        help="check a label printer or print a test label",
        description="check: is the printer reachable, and what does it report (paper out, head open, "
        "paused)? "
        "Exits 1 unless it is reachable and ready. test: send a small ZPL test label (for thermal printers).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, helptext in (("check", "print reachability and status"), ("test", "send a ZPL test label")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument(
            "spec", nargs="?", default=None, metavar="SPEC", help="printer spec (default: config)"
        )
        action.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Open the printer the spec names, then check it or send the test label."""
    # lazy: the drivers (pyserial) only for this command
    from devices.printers import PrinterError, open_printer
    from devices.printers.sample_label import sample_label_zpl

    spec = args.spec
    if spec is None:
        from app.config import load_settings

        spec = load_settings().station.label_printer
        if not spec:
            raise UserError("no SPEC given and [station] label_printer is empty")
    try:
        printer = open_printer(spec)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        if args.action == "check":
            status = printer.status()
            reach = "reachable" if status.reachable else "NOT reachable"
            print(f"{printer.spec}: {reach}; {status.detail}")
            return 0 if status.ready else 1
        try:
            printer.send(sample_label_zpl())
        except PrinterError as exc:
            said = "may have printed" if exc.maybe_printed else "nothing printed"
            print(f"{printer.spec}: {exc} ({said})")
            return 1
        print(f"{printer.spec}: test label sent")
        return 0
    finally:
        printer.close()
