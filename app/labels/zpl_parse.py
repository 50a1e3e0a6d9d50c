"""Read the fields back out of ZPL: `zpl_fields_of(zpl)` lists each `^FD` with `^FH` hex escapes decoded.

`check_templates` uses it to prove a shop's template still prints what a label must carry, and the tests to
check the text fields of a rendered label.
"""

from __future__ import annotations

import re

__all__ = ["zpl_field_texts"]

_FIELD = re.compile(r"\^FO[^\^]*((?:\^(?!FD|FS)[^\^]*)*)\^FD(.*?)\^FS", re.DOTALL)
_HEX = re.compile(r"_([0-9A-Fa-f]{2})")


def _unhex(text: str) -> str:
    # ^FH escapes are bytes of the field's encoding (UTF-8 under ^CI28)
    out = bytearray()
    pos = 0
    for m in _HEX.finditer(text):
        out += text[pos : m.start()].encode("utf-8") + bytes([int(m.group(1), 16)])
        pos = m.end()
    out += text[pos:].encode("utf-8")
    return out.decode("utf-8", errors="replace")


def zpl_field_texts(zpl: str) -> list[str]:
    """The data of every `^FO … ^FD … ^FS` field in order, `^FH` fields with their hex escapes decoded."""
    return [_unhex(data) if "^FH" in commands else data for commands, data in _FIELD.findall(zpl)]
