"""ZPL II parcel labels from a Jinja2 template the shop can edit: `ZplRenderer(template_dir,
dpi).render(label)`.

The template (`templates/parcel.zpl.j2`, or a file of the same name in the shop's `[shipping]
label_template_dir`, which is searched first) is written in dots at 203 dpi; its `|d` filter scales positions
and sizes to 300 dpi (or any `dpi`), and `^PW`/`^LL` follow (4 x 6 in: 812 x 1218 dots at 203 dpi, 1200 x 1800
at 300). Every `{{ value }}` is escaped for `^FH` by the environment's `finalize`, so a customer name holding
`^` or `~` cannot end a field or start a command. Undefined variables raise (StrictUndefined):
`check_templates` renders a sample at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from app.labels.data import LabelData
from app.labels.zpl_fields import ZplSafe, code128_field, fit_module, zpl_text

__all__ = ["BASE_DPI", "BUILTIN_TEMPLATES", "TEMPLATE", "ZplRenderer"]

BASE_DPI = 203
BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "parcel.zpl.j2"
_WIDTH_IN, _HEIGHT_IN = 4, 6
#: nominal module widths in dots at 203 dpi: the SSCC 4 (0.5 mm, inside GS1's 0.495-1.016 mm), others 3
_NOMINAL = {"sscc": 4, "tracking": 3, "routing": 3}


def _finalize(value: Any) -> Any:
    # ints from |d and barcode data pass; every other value is text shown in a ^FH field
    if isinstance(value, ZplSafe | int | float):
        return value
    return zpl_text(value)


@jinja2.pass_context
def _dots(context: jinja2.runtime.Context, value: float) -> int:
    # the dpi comes from the render's variables: one environment serves renderers of every dpi
    return round(value * int(context["dpi"]) / BASE_DPI)


@cache
def _environment(template_dir: str) -> jinja2.Environment:
    dirs = [Path(template_dir)] if template_dir else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*dirs, BUILTIN_TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are read once per process; start-up checks what will print
    )
    env.filters["d"] = _dots
    return env


@dataclass(frozen=True, slots=True)
class _Barcode:
    fd: ZplSafe
    module: int
    x: int


class ZplRenderer:
    """Renders `LabelData` to ZPL bytes (UTF-8, `^CI28`) with the shop's template at the printer's dpi."""

    def __init__(self, template_dir: str | Path = "", dpi: int = BASE_DPI) -> None:
        if dpi < 100 or dpi > 600:
            raise ValueError(f"label dpi {dpi} is not a thermal printer's (203, 300 or 600)")
        self.template_dir = str(template_dir)
        self.dpi = dpi
        self.width = round(_WIDTH_IN * dpi)  # 812 at 203 dpi, 1200 at 300
        self.height = round(_HEIGHT_IN * dpi)  # 1218 at 203 dpi, 1800 at 300

    def dots(self, value: float) -> int:
        """A length in 203-dpi dots as dots at this renderer's dpi (the template's `|d`)."""
        return round(value * self.dpi / BASE_DPI)

    def template(self) -> jinja2.Template:
        """The template that prints: the shop's `parcel.zpl.j2` when its folder has one, else Aisle's."""
        return _environment(self.template_dir).get_template(TEMPLATE)

    def _barcode(self, name: str, data: str, gs1: bool) -> _Barcode:
        field = code128_field(data, gs1=gs1)
        module = fit_module(field.modules, self.dots(_NOMINAL[name]), self.width)
        bars = (field.modules - 20) * module  # ^FO places the first bar: quiet zones are the label's margin
        return _Barcode(field.fd, module, max(0, (self.width - bars) // 2))

    def context(self, label: LabelData) -> dict[str, Any]:
        """The template's variables (documented at the top of parcel.zpl.j2)."""
        barcodes = {
            "tracking": self._barcode("tracking", label.tracking_number, gs1=False),
            "sscc": self._barcode("sscc", label.sscc_element, gs1=True),
            "routing": self._barcode("routing", label.routing_element, gs1=True),
        }
        return {"label": label, "bc": barcodes, "width": self.width, "height": self.height, "dpi": self.dpi}

    def render(self, label: LabelData) -> bytes:
        """The label as ZPL II bytes, ready for a printer (raw TCP 9100, serial or a CUPS raw queue)."""
        return self.template().render(self.context(label)).encode("utf-8")
