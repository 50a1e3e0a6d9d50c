"""ZPL field data: text escaped for `^FH`, and Code 128 / GS1-128 data written with ZPL's `^BC` invocation
codes.

Text: `^` and `~` are ZPL command prefixes, so inside a field they are written as `^FH` hex escapes (`_5E`,
`_7E`), and the escape character `_` itself as `_5F`. Every template field that shows data starts with `^FH`.

Barcodes: `^BC` in its default mode reads invocation codes in the field data (ZPL II Programming Guide, ^BC):
`>;` starts subset C, `>:` starts subset B, `>5` / `>6` switch to C / B, `>8` is FNC1 and `><` a literal `>`.
A GS1-128 symbol is `>;>8` (start C, FNC1) then the element string, which a decoder reports as `]C1`; `^BC`'s
UCC mode (`,D`) encodes FNC1 too, but it also rewrites the interpretation line and reads brackets in the data,
so Aisle writes the invocation codes itself and prints its own "(00) …" line. Data of digits only, of even
length (an SSCC, most numeric tracking numbers), goes in subset C (two digits a symbol); anything else in
subset B. A symbol never switches subset: zebrash, the renderer the tests print through, reads `>5` inside
subset B as FNC4 and drops a lone character after `>6`, and a symbol without switches reads the same on every
printer.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ZplSafe", "code128_field", "fit_module", "zpl_text"]

_HEX = {"^": "_5E", "~": "_7E", "_": "_5F"}
_QUIET_MODULES = 10  # quiet zone each side of a Code 128 symbol, in modules


class ZplSafe(str):
    """Text already written for a ZPL field (barcode data with invocation codes): templates print it as is."""

    __slots__ = ()


def zpl_text(value: object) -> str:
    """`value` as `^FH` field text: `^`, `~` and `_` as hex escapes, line breaks as spaces."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return "".join(_HEX.get(c, c) for c in text)


@dataclass(frozen=True, slots=True)
class Code128Field:
    """A `^BC` field: its `^FD` data (`fd`, with invocation codes and `^FH` escapes) and its width in modules.

    The width includes the quiet zones: the renderer picks a module width with which the code fits the label.
    """

    fd: ZplSafe
    modules: int


def code128_field(data: str, *, gs1: bool = False) -> Code128Field:
    """The `^BC` field data of `data`; with `gs1`, FNC1 follows the start code (GS1-128, AIM `]C1`)."""
    if not data or not data.isascii() or not data.isprintable():
        raise ValueError(f"{data!r} cannot be encoded in Code 128 subset B/C")
    fnc1 = ">8" if gs1 else ""
    if data.isdigit() and len(data) % 2 == 0:
        fd, symbols = ">;" + fnc1 + data, len(data) // 2
    else:
        fd, symbols = ">:" + fnc1 + zpl_text(data).replace(">", "><"), len(data)
    symbols += 1 if gs1 else 0
    # start, data symbols, check symbol: 11 modules each; the stop pattern: 13
    modules = 11 * (symbols + 2) + 13 + 2 * _QUIET_MODULES
    return Code128Field(ZplSafe(fd), modules)


def fit_module(modules: int, nominal: int, room: int) -> int:
    """The widest module (dots) up to `nominal` with which `modules` fit in `room` dots; never below 1."""
    return max(1, min(nominal, room // modules))
