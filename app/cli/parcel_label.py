"""`aisle labels parcel --out sample.zpl|sample.pdf`: check the parcel label template, then write a sample
label.

For a shop editing its `[shipping] label_template_dir` copy of parcel.zpl.j2: the check is the one Aisle's
`check_templates` makes (an unknown variable or a syntax error is named with the file and line; a template
that drops the SSCC, tracking or routing barcode is refused), and the sample shows the result on the printer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import UserError
from app.config import load_settings


def run(args: argparse.Namespace) -> int:
    """Check the template at the configured dpi; write the sample label as ZPL or PDF by the file's suffix."""
    # lazy: Jinja2 and reportlab only for this command
    from app.labels import LabelTemplateError, ZplRenderer, check_templates, render_pdf, sample_label

    shipping = load_settings().shipping
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".zpl", ".pdf"):
        raise UserError(f"--out {out}: use a .zpl or .pdf file name for a parcel label")
    try:
        template = check_templates(shipping.label_template_dir, shipping.label_dpi)
    except LabelTemplateError as exc:
        raise UserError(f"label template: {exc}") from None
    if suffix == ".zpl":
        out.write_bytes(ZplRenderer(shipping.label_template_dir, shipping.label_dpi).render(sample_label()))
        print(f"template {template} is fine; wrote a sample {shipping.label_dpi} dpi ZPL label to {out}")
    else:
        out.write_bytes(render_pdf(sample_label()))
        print(f"template {template} is fine; wrote a sample PDF label to {out}")
    return 0
