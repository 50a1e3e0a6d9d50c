"""`check_templates`: render the sample label with the shop's template at start-up, so a broken template stops
the program with its file and line instead of a blank or wrong label at the first parcel.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import jinja2

from app.labels.data import sample_label
from app.labels.errors import LabelTemplateError
from app.labels.zpl import BASE_DPI, ZplRenderer
from app.labels.zpl_parse import zpl_field_texts

__all__ = ["check_templates"]


def _template_line(tb: TracebackType | None, filename: str | None) -> int | None:
    # Jinja rewrites tracebacks so a template's frames carry its file name and template line numbers
    line = None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render(renderer: ZplRenderer) -> tuple[Path, str]:
    try:
        template = renderer.template()
    except jinja2.TemplateSyntaxError as exc:
        raise LabelTemplateError(f"{exc.filename}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound:
        raise LabelTemplateError(f"no label template {renderer.template_dir or '(built in)'}") from None
    path = Path(template.filename or "?")
    try:
        return path, renderer.render(sample_label()).decode("utf-8")
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__, template.filename)
        raise LabelTemplateError(f"{path}, line {line}: {exc.message}") from None
    except Exception as exc:  # a shop template may fail any way its expressions can
        line = _template_line(exc.__traceback__, template.filename)
        raise LabelTemplateError(f"{path}, line {line}: {type(exc).__name__}: {exc}") from None


def check_templates(template_dir: str | Path = "", dpi: int = BASE_DPI) -> Path:
    """Render the sample label with the template that will print; return its path or raise LabelTemplateError.

    Beyond rendering, the output must be one ZPL label (`^XA` … `^XZ`) of the label's size (`^PW`, `^LL`) that
    carries the tracking number, SSCC and routing barcodes and the lines people read: ship-to name and
    postcode, carrier, service, parcel n of N, order reference, the tracking number and the "(00) …" SSCC
    line.
    """
    if template_dir and not Path(template_dir).is_dir():
        raise LabelTemplateError(f"[shipping] label_template_dir {template_dir} is not a folder")
    renderer = ZplRenderer(template_dir, dpi)
    path, zpl = _render(renderer)
    body = zpl.strip()
    if not (body.startswith("^XA") and body.endswith("^XZ")) or body.count("^XA") != 1:
        raise LabelTemplateError(f"{path}: the output is not one label (^XA … ^XZ)")
    for command in (f"^PW{renderer.width}", f"^LL{renderer.height}"):
        if command not in zpl:
            raise LabelTemplateError(f"{path}: the label size {command} is missing (use {{{{ width }}}}, …)")
    context = renderer.context(sample := sample_label())
    wanted = {
        "the tracking barcode (bc.tracking.fd)": context["bc"]["tracking"].fd,
        "the SSCC barcode (bc.sscc.fd)": context["bc"]["sscc"].fd,
        "the routing barcode (bc.routing.fd)": context["bc"]["routing"].fd,
        "the tracking number": sample.tracking_number,
        "the SSCC line": sample.sscc_text,
        "the parcel n of N": sample.parcel_text,
    }
    fields = zpl_field_texts(zpl)
    every = "\n".join(fields)
    for what, text in wanted.items():
        if text not in fields:
            raise LabelTemplateError(f"{path}: no field holds {what} ({text!r})")
    for what, text in {
        "ship-to name": sample.ship_to.name,
        "ship-to postcode": sample.ship_to.postcode,
        "carrier": sample.carrier,
        "service": sample.service,
        "order reference": sample.order_reference,
    }.items():
        if text not in every:
            raise LabelTemplateError(f"{path}: no field shows the {what} ({text!r})")
    return path
