"""The parcel label as a 4 x 6 in PDF page (reportlab), for office printers: the layout of `parcel.zpl.j2`.

Positions are the template's, in 203-dpi dots from the top left, turned into PDF points here, so the two
labels match. reportlab's Code 128 writes FNC1 for the character U+00F1 (``\\xf1``), which makes the SSCC and
routing codes GS1-128 (a decoder reports `]C1`). Text uses Helvetica (the PDF standard font, WinAnsi: Western
European names); a line too long for the label is set smaller until it fits, as ZPL's `^FB` keeps it on one
line.
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.labels.data import LabelData

__all__ = ["render_pdf"]

_K = 72 / 203  # points per 203-dpi dot
_W, _H = 4 * inch, 6 * inch
_FNC1 = "\xf1"
_FONT, _BOLD = "Helvetica", "Helvetica-Bold"


def _text(
    c: Canvas, x: float, y: float, h: float, text: str, *, room: float = 672, bold: bool = False
) -> None:
    """Text whose ZPL field starts at dot (x, y) with font height h, shrunk to fit `room` dots (^FB)."""
    font = _BOLD if bold else _FONT
    size = h * _K
    while size > 4 and stringWidth(text, font, size) > room * _K:
        size -= 0.5
    c.setFont(font, size)
    c.drawString(x * _K, _H - (y + 0.8 * h) * _K, text)


def _centred(c: Canvas, y: float, h: float, text: str) -> None:
    c.setFont(_FONT, h * _K)
    c.drawCentredString(_W / 2, _H - (y + 0.8 * h) * _K, text)


def _rule(c: Canvas, y: float) -> None:
    c.setLineWidth(3 * _K)
    c.line(20 * _K, _H - (y + 1.5) * _K, 792 * _K, _H - (y + 1.5) * _K)


def _barcode(c: Canvas, y: float, h: float, value: str, module_mm: float) -> None:
    """A Code 128 drawing centred across the page, its top at dot y, `h` dots high."""
    drawing = createBarcodeDrawing(
        "Code128", value=value, barWidth=module_mm * mm, barHeight=h * _K, humanReadable=False, quiet=True
    )
    if drawing.width > _W:  # narrower modules rather than bars off the page
        drawing = createBarcodeDrawing(
            "Code128",
            value=value,
            barWidth=module_mm * mm * _W / drawing.width,
            barHeight=h * _K,
            humanReadable=False,
            quiet=True,
        )
    renderPDF.draw(drawing, c, (_W - drawing.width) / 2, _H - (y + h) * _K)


def render_pdf(label: LabelData) -> bytes:
    """The label as one 4 x 6 in PDF page, with the ZPL label's content and layout."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=(_W, _H), pageCompression=1)
    c.setTitle(f"{label.carrier} {label.tracking_number}")
    f, t = label.ship_from, label.ship_to
    _text(c, 30, 28, 22, "FROM", room=80)
    _text(c, 110, 28, 26, f.name)
    for i, line in enumerate(f.lines):
        _text(c, 110, 58 + 28 * i, 24, line)
    _text(c, 110, 58 + 28 * len(f.lines), 24, f"{f.postcode} {f.city} {f.country}")
    _rule(c, 195)
    _text(c, 30, 210, 22, "TO", room=80)
    _text(c, 110, 210, 42, t.name, bold=True)
    for i, line in enumerate(t.lines):
        _text(c, 110, 260 + 40 * i, 36, line)
    _text(c, 110, 266 + 40 * len(t.lines), 52, f"{t.postcode} {t.city} {t.country}", bold=True)
    _rule(c, 470)
    _text(c, 30, 485, 40, label.carrier, room=470)
    _text(c, 30, 535, 80, label.service, room=470, bold=True)
    _text(c, 520, 490, 36, label.weight_text, room=270)
    _text(c, 520, 545, 36, label.parcel_text, room=270)
    _rule(c, 625)
    _text(c, 30, 638, 30, f"Order {label.order_reference}")
    _barcode(c, 680, 90, _FNC1 + label.routing_element, 0.375)
    _centred(c, 778, 26, label.routing_text)
    _barcode(c, 818, 100, label.tracking_number, 0.375)
    _centred(c, 925, 30, label.tracking_number)
    _rule(c, 965)
    _text(c, 30, 975, 22, "SSCC", room=100)
    # the SSCC lowest on the label, as the GS1 logistic label puts it; 0.5 mm modules (GS1: 0.495-1.016 mm)
    _barcode(c, 1000, 140, _FNC1 + label.sscc_element, 0.5)
    _centred(c, 1150, 36, label.sscc_text)
    c.showPage()
    c.save()
    return out.getvalue()
