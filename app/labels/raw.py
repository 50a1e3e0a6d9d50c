"""`RawLabel`: a label that is already printer bytes — a live carrier's own ZPL or PDF (from karrio) — printed
as is.

Aisle never re-renders or edits a carrier's label: the carrier's barcodes and routing codes are what its hubs
scan. The type only checks that the bytes are the format they claim, so a PDF is never sent to a ZPL printer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from app.labels.errors import LabelDataError

__all__ = ["LabelFormat", "RawLabel"]

LabelFormat = Literal["zpl", "pdf"]


@dataclass(frozen=True, slots=True)
class RawLabel:
    """Label bytes in `format` from `source` (a carrier's name, or ``aisle`` for labels rendered here)."""

    format: LabelFormat
    data: bytes
    source: str

    def __post_init__(self) -> None:
        if self.format == "pdf" and not self.data.startswith(b"%PDF-"):
            raise LabelDataError(f"{self.source}'s label is not a PDF (it does not start with %PDF-)")
        if self.format == "zpl" and b"^XA" not in self.data.upper():
            raise LabelDataError(f"{self.source}'s label is not ZPL (no ^XA)")
        if self.format not in ("zpl", "pdf"):
            raise LabelDataError(f"label format {self.format!r} is neither zpl nor pdf")

    def printer_bytes(self) -> bytes:
        """The bytes to send to the printer: exactly the bytes received."""
        return self.data

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the bytes (the server stores labels with their hash)."""
        return hashlib.sha256(self.data).hexdigest()
