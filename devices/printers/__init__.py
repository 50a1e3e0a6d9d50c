"""Label printer drivers: raw TCP 9100, serial (any pyserial URL), CUPS through ``lp``, and a folder.

`open_printer(spec)` builds one from a spec string; every driver is a `LabelPrinter` (`send`, `status`,
`close`) and raises `PrinterUnavailable` (nothing sent) or `PrintInterrupted` (may have printed).
"""

from devices.printers.base import (
    LabelPrinter,
    PrinterError,
    PrinterStatus,
    PrinterUnavailable,
    PrintInterrupted,
)
from devices.printers.spec import PrinterSpecError, open_printer

__all__ = [
    "LabelPrinter",
    "PrintInterrupted",
    "PrinterError",
    "PrinterSpecError",
    "PrinterStatus",
    "PrinterUnavailable",
    "open_printer",
]
