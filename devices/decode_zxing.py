"""zxing-cpp behind `devices.decoders.decode`: formats restricted to the wanted symbologies, plain text."""

from __future__ import annotations

from functools import cache

import numpy as np
import zxingcpp

from devices.decoded import AIM_IDS, Decoded, ZxingTuning, ean_symbology, itf_symbology

#: zxing-cpp format that reads each symbology (GS1 variants share their base format)
_FORMATS = {
    "ean13": "EAN13",
    "upca": "UPCA",
    "ean8": "EAN8",
    "upce": "UPCE",
    "code128": "Code128",
    "gs1-128": "Code128",
    "itf": "ITF",
    "itf-14": "ITF14",
    "databar": "DataBarOmni,DataBarStk,DataBarStkOmni,DataBarLtd",
    "databar-expanded": "DataBarExp,DataBarExpStk",
    "qrcode": "QRCode",
    "gs1-qrcode": "QRCode",
    "datamatrix": "DataMatrix",
    "gs1-datamatrix": "DataMatrix",
}
_NAMES = {
    zxingcpp.BarcodeFormat.EAN13: "ean13",
    zxingcpp.BarcodeFormat.UPCA: "upca",
    zxingcpp.BarcodeFormat.EAN8: "ean8",
    zxingcpp.BarcodeFormat.UPCE: "upce",
    zxingcpp.BarcodeFormat.Code128: "code128",
    zxingcpp.BarcodeFormat.ITF: "itf",
    zxingcpp.BarcodeFormat.ITF14: "itf",
    zxingcpp.BarcodeFormat.DataBarOmni: "databar",
    zxingcpp.BarcodeFormat.DataBarStk: "databar",
    zxingcpp.BarcodeFormat.DataBarStkOmni: "databar",
    zxingcpp.BarcodeFormat.DataBarLtd: "databar",
    zxingcpp.BarcodeFormat.DataBarExp: "databar-expanded",
    zxingcpp.BarcodeFormat.DataBarExpStk: "databar-expanded",
    zxingcpp.BarcodeFormat.QRCode: "qrcode",
    zxingcpp.BarcodeFormat.DataMatrix: "datamatrix",
}
_GS1_NAMES = {"code128": "gs1-128", "qrcode": "gs1-qrcode", "datamatrix": "gs1-datamatrix"}


@cache
def _formats(symbologies: tuple[str, ...]) -> zxingcpp.BarcodeFormats:
    names = sorted({f for s in symbologies for f in _FORMATS[s].split(",")})
    return zxingcpp.barcode_formats_from_str(",".join(names))


def decode_zxing(gray: np.ndarray, symbologies: tuple[str, ...], tuning: ZxingTuning) -> list[Decoded]:
    """Decode a grayscale frame with zxing-cpp; only the formats of `symbologies` are searched (faster)."""
    if not symbologies:
        return []
    results = zxingcpp.read_barcodes(
        gray,
        formats=_formats(symbologies),
        try_rotate=tuning.try_rotate,
        try_downscale=tuning.try_downscale,
        try_invert=tuning.try_invert,
        text_mode=zxingcpp.TextMode.Plain,  # HRI would turn GS1 data into "(01)…(10)…" and drop the GS
        binarizer=getattr(zxingcpp.Binarizer, tuning.binarizer),
    )
    return [_decoded(r) for r in results if r.valid]


def _decoded(r: zxingcpp.Barcode) -> Decoded:
    gs1 = r.content_type == zxingcpp.ContentType.GS1
    name = _NAMES.get(r.format, str(r.format).rsplit(".", 1)[-1].lower())
    if gs1:
        name = _GS1_NAMES.get(name, name)
    name = itf_symbology(r.text) if name == "itf" else ean_symbology(r.text, name)
    p = r.position
    corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return Decoded(
        text=r.text,
        raw=bytes(r.bytes),
        symbology=name,
        aim=AIM_IDS[name] if name == "itf-14" else r.symbology_identifier or AIM_IDS.get(name),
        gs1=gs1,
        position=tuple((int(c.x), int(c.y)) for c in corners),
    )
