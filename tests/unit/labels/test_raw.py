"""A live carrier's own label is printed as is: RawLabel passes its bytes through untouched."""

from __future__ import annotations

import hashlib

import pytest

from app.labels import LabelDataError, RawLabel

CARRIER_ZPL = b"^XA\r\n^FO50,50^BCN,100^FD1Z999AA10123456784^FS\r\n^FO9,9^FDweird ~bytes \xff^FS^XZ"
CARRIER_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(("fmt", "data"), [("zpl", CARRIER_ZPL), ("pdf", CARRIER_PDF)])
def test_a_carriers_label_reaches_the_printer_byte_for_byte(fmt: str, data: bytes) -> None:
    label = RawLabel(fmt, data, "ups")  # type: ignore[arg-type]
    assert label.printer_bytes() == data  # no re-encoding, line endings and odd bytes kept
    assert label.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("fmt", "data", "message"),
    [("zpl", CARRIER_PDF, "not ZPL"), ("pdf", CARRIER_ZPL, "not a PDF"), ("png", b"^XA", "neither")],
)
def test_bytes_that_are_not_the_claimed_format_are_refused(fmt: str, data: bytes, message: str) -> None:
    with pytest.raises(LabelDataError, match=message):
        RawLabel(fmt, data, "ups")  # type: ignore[arg-type]
