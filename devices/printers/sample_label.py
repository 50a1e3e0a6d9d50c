"""The tiny ZPL label `aisle printer test` sends: a border, two lines of text and a Code 128 barcode."""

from __future__ import annotations


def sample_label_zpl(text: str = "AISLE PRINTER TEST") -> bytes:
    """A 4x6 in (203 dpi) ZPL II label with `text` (caret and tilde are replaced, they are ZPL commands)."""
    safe = text.replace("^", " ").replace("~", " ")[:40]
    return (
        "^XA^CI28^PW812^LL1218\n"
        "^FO40,40^GB732,1138,4^FS\n"
        f"^FO80,100^A0N,60,60^FD{safe}^FS\n"
        "^FO80,200^A0N,40,40^FDIf you can read this, the printer works.^FS\n"
        "^FO80,320^BY3^BCN,160,Y,N,N^FDAISLE-TEST^FS\n"
        "^XZ\n"
    ).encode()
