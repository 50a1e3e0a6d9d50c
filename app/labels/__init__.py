"""Parcel labels for thermal (ZPL II) and office (PDF) printers, shared by the station and the server.

- `LabelData` (`data.py`): what a label says; `sample_label()` fills every field.
- `ZplRenderer` (`zpl.py`): ZPL from the Jinja2 template `templates/parcel.zpl.j2` or the shop's own copy, at
  203 or 300 dpi; `check_templates` (`check.py`) renders the sample at start-up and names a broken template's
  line.
- `render_pdf` (`pdf.py`): the same layout as a 4 x 6 in PDF page.
- `RawLabel` (`raw.py`): a live carrier's own label bytes, printed as is.

Nothing here prints or talks to a carrier: printers are `devices.printers`, carriers `app.carriers`. The
packer flow does not call these yet (issue 13).
"""

from __future__ import annotations

from app.labels.check import check_templates
from app.labels.data import MAX_ADDRESS_LINES, Address, LabelData, sample_label
from app.labels.errors import LabelDataError, LabelTemplateError
from app.labels.raw import LabelFormat, RawLabel
from app.labels.zpl import BASE_DPI, ZplRenderer

__all__ = [
    "BASE_DPI",
    "MAX_ADDRESS_LINES",
    "Address",
    "LabelData",
    "LabelDataError",
    "LabelFormat",
    "LabelTemplateError",
    "RawLabel",
    "ZplRenderer",
    "check_templates",
    "render_pdf",
    "sample_label",
]


def render_pdf(label: LabelData) -> bytes:
    """The label as a 4 x 6 in PDF page (`app.labels.pdf`); reportlab loads at the first call (~90 ms)."""
    from app.labels.pdf import render_pdf as render  # lazy: a ZPL-only bench never imports reportlab

    return render(label)
