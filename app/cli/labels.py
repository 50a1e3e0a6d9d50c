"""`aisle labels commands`: a sheet of command labels (Code 128 with captions) to stick on a station.

(`aisle labels parcel` checks the parcel label template and writes a sample: app/cli/parcel_label.py.)

Every action bound to a key can also be done by scanning its label: CMD-SHORT then a reason label confirms a
short pick, CMD-QTY-N types a quantity, CMD-BOX-X and CMD-WEIGHT-N prepare a seal at the pack bench.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import UserError
from app.config import load_settings

#: (label text without the prefix, caption) in the order they appear on the sheet
COMMANDS: tuple[tuple[str, str], ...] = (
    ("SHORT", "Short pick (then scan the reason)"),
    ("NOTFOUND", "Reason: not found"),
    ("DAMAGED", "Reason: damaged"),
    ("QTYWRONG", "Reason: quantity wrong in bin"),
    ("SKIP", "Skip line (comes back at the end)"),
    ("UNDO", "Undo last scan"),
    ("CANCEL", "Cancel"),
    ("DONE", "Done: close tote / seal"),
    ("PAUSE", "Pause"),
    ("RESUME", "Resume"),
    ("QTY-5", "Quantity 5 (next scan counts 5)"),
    ("QTY-10", "Quantity 10"),
    ("QTY-12", "Quantity 12"),
    ("QTY-24", "Quantity 24"),
    ("BOX-S", "Box S"),
    ("BOX-M", "Box M"),
    ("BOX-L", "Box L"),
    ("SIGNOUT", "Sign out"),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "labels", help="print label sheets (command labels), or check the parcel label template"
    )
    p.add_argument(
        "kind",
        choices=["commands", "parcel"],
        help="commands: the command-label sheet; parcel: check the parcel template, write a sample label",
    )
    p.add_argument(
        "--out",
        default=None,
        help="output file: .pdf or .png for commands (default command-labels.pdf), .zpl or .pdf for parcel "
        "(default parcel-sample.zpl)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.kind == "parcel":
        from app.cli.parcel_label import run as parcel  # lazy: Jinja2 only for parcel labels

        args.out = args.out or "parcel-sample.zpl"
        return parcel(args)
    prefix = load_settings().labels.command_prefix
    out = Path(args.out or "command-labels.pdf")
    labels = [(prefix + code, caption) for code, caption in COMMANDS]
    if out.suffix.lower() == ".pdf":
        write_pdf(labels, out)
    elif out.suffix.lower() == ".png":
        write_png(labels, out)
    else:
        raise UserError(f"--out {out}: use a .pdf or .png file name")
    print(f"wrote {len(labels)} command labels to {out}")
    return 0


def barcode_image(text: str, scale: int = 3) -> Any:
    """A Code 128 symbol of `text` as a Pillow image (zxing-cpp writes it, with quiet zones)."""
    # lazy: numpy, zxing-cpp and Pillow only when labels are drawn
    import numpy as np
    import zxingcpp
    from PIL import Image

    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    return Image.fromarray(np.asarray(symbol.to_image(scale=scale, add_quiet_zones=True)))


def _cell(text: str, caption: str, width: int = 560, height: int = 230) -> Any:
    from PIL import Image, ImageDraw, ImageFont  # lazy: Pillow, as in barcode_image

    cell = Image.new("L", (width, height), 255)
    code = barcode_image(text)
    code.thumbnail((width - 20, height - 80))
    cell.paste(code, ((width - code.width) // 2, 10))
    draw = ImageDraw.Draw(cell)
    font = ImageFont.load_default(size=22)
    for i, line in enumerate((text, caption)):
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, code.height + 16 + i * 28), line, fill=0, font=font)
    return cell


def write_png(labels: list[tuple[str, str]], out: Path, columns: int = 2) -> None:
    """All labels on one PNG sheet, `columns` across."""
    from PIL import Image  # lazy: Pillow, as in barcode_image

    cells = [_cell(t, c) for t, c in labels]
    rows = (len(cells) + columns - 1) // columns
    sheet = Image.new("L", (cells[0].width * columns, cells[0].height * rows), 255)
    for i, cell in enumerate(cells):
        sheet.paste(cell, ((i % columns) * cell.width, (i // columns) * cell.height))
    sheet.save(out)


def write_pdf(labels: list[tuple[str, str]], out: Path) -> None:
    """An A4 PDF, two labels across, as many pages as needed."""
    # lazy: reportlab only for PDF output
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(out), pagesize=A4)
    page_h = A4[1]
    cell_w, cell_h = 90 * mm, 40 * mm
    x0, y0 = 12 * mm, page_h - 15 * mm - cell_h
    for i, (text, caption) in enumerate(labels):
        slot = i % 12
        if i and slot == 0:
            pdf.showPage()
        x = x0 + (slot % 2) * (cell_w + 6 * mm)
        y = y0 - (slot // 2) * (cell_h + 4 * mm)
        pdf.drawImage(
            ImageReader(barcode_image(text)),
            x,
            y + 12 * mm,
            cell_w,
            cell_h - 14 * mm,
            preserveAspectRatio=True,
        )
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawCentredString(x + cell_w / 2, y + 6 * mm, text)
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(x + cell_w / 2, y + 1.5 * mm, caption)
    pdf.save()
