"""The pyzbar (zbar) backend of `devices.decoders.decode`, with zbar's GS1 modifier read through its C API.

pyzbar's `decode()` returns data, type and polygon but not zbar's symbol modifiers, so it cannot tell GS1-128
(Code 128 starting with FNC1) from plain Code 128. zbar itself sets ``ZBAR_MOD_GS1`` on such symbols
(``zbar_symbol_get_modifiers``, zbar >= 0.10); this module drives zbar through pyzbar's ctypes wrapper
and asks for it. zbar cannot read DataMatrix, and reports no AIM identifier: it is derived from the symbology.
"""

from __future__ import annotations

from ctypes import POINTER, c_uint, c_void_p, cast, string_at

import numpy as np
from pyzbar import wrapper as zw

from devices.decoded import AIM_IDS, Decoded, ean_symbology, itf_symbology

_ZBAR_MOD_GS1 = 0  # enum zbar_modifier_e in zbar.h
_FOURCC_Y800 = 808466521  # 'Y800': 8-bit grayscale

_TYPES = {
    "ean13": zw.ZBarSymbol.EAN13,
    "upca": zw.ZBarSymbol.UPCA,
    "ean8": zw.ZBarSymbol.EAN8,
    "upce": zw.ZBarSymbol.UPCE,
    "code128": zw.ZBarSymbol.CODE128,
    "gs1-128": zw.ZBarSymbol.CODE128,
    "itf": zw.ZBarSymbol.I25,
    "itf-14": zw.ZBarSymbol.I25,
    "databar": zw.ZBarSymbol.DATABAR,
    "databar-expanded": zw.ZBarSymbol.DATABAR_EXP,
    "qrcode": zw.ZBarSymbol.QRCODE,
    "gs1-qrcode": zw.ZBarSymbol.QRCODE,
}
_NAMES = {
    int(zw.ZBarSymbol.EAN13): "ean13",
    int(zw.ZBarSymbol.UPCA): "upca",
    int(zw.ZBarSymbol.EAN8): "ean8",
    int(zw.ZBarSymbol.UPCE): "upce",
    int(zw.ZBarSymbol.CODE128): "code128",
    int(zw.ZBarSymbol.I25): "itf",
    int(zw.ZBarSymbol.DATABAR): "databar",
    int(zw.ZBarSymbol.DATABAR_EXP): "databar-expanded",
    int(zw.ZBarSymbol.QRCODE): "qrcode",
}
_GS1_NAMES = {"code128": "gs1-128", "qrcode": "gs1-qrcode"}

try:
    _get_modifiers = zw.zbar_function("zbar_symbol_get_modifiers", c_uint, POINTER(zw.zbar_symbol))
except AttributeError:  # zbar older than 0.10: no modifiers, GS1-128 reads as Code 128
    _get_modifiers = None


def decode_zbar(gray: np.ndarray, symbologies: tuple[str, ...]) -> list[Decoded]:
    """Decode a grayscale frame with zbar; only the symbol types of `symbologies` are enabled."""
    types = {_TYPES[s] for s in symbologies if s in _TYPES}
    if not types:
        return []  # DataMatrix only: zbar cannot read it
    height, width = gray.shape
    pixels = gray.tobytes()
    scanner = zw.zbar_image_scanner_create()
    image = zw.zbar_image_create()
    try:
        zw.zbar_image_scanner_set_config(scanner, zw.ZBarSymbol.NONE, zw.ZBarConfig.CFG_ENABLE, 0)
        for symbol_type in types:
            zw.zbar_image_scanner_set_config(scanner, symbol_type, zw.ZBarConfig.CFG_ENABLE, 1)
        zw.zbar_image_set_format(image, _FOURCC_Y800)
        zw.zbar_image_set_size(image, width, height)
        data = cast(pixels, c_void_p)  # type: ignore[arg-type]  # ctypes.cast takes a bytes buffer; typeshed says only _CData
        zw.zbar_image_set_data(image, data, len(pixels), None)
        if zw.zbar_scan_image(scanner, image) < 0:
            raise ValueError("zbar refused the image")
        found = []
        symbol = zw.zbar_image_first_symbol(image)
        while symbol:
            found.append(_decoded(symbol))
            symbol = zw.zbar_symbol_next(symbol)
        return found
    finally:
        zw.zbar_image_destroy(image)
        zw.zbar_image_scanner_destroy(scanner)


def _decoded(symbol: object) -> Decoded:
    raw = string_at(zw.zbar_symbol_get_data(symbol), zw.zbar_symbol_get_data_length(symbol))
    name = _NAMES.get(int(symbol.contents.type), f"zbar-{int(symbol.contents.type)}")  # type: ignore[attr-defined]  # a zbar_symbol* from pyzbar's untyped ctypes
    gs1 = name.startswith("databar") or bool(_get_modifiers and _get_modifiers(symbol) & (1 << _ZBAR_MOD_GS1))
    if gs1:
        name = _GS1_NAMES.get(name, name)
    text = _as_ean13(name, raw.decode("utf-8", errors="replace"))
    name = itf_symbology(text) if name == "itf" else ean_symbology(text, name)
    points = tuple(
        (int(zw.zbar_symbol_get_loc_x(symbol, i)), int(zw.zbar_symbol_get_loc_y(symbol, i)))
        for i in range(zw.zbar_symbol_get_loc_size(symbol))
    )
    return Decoded(text=text, raw=raw, symbology=name, aim=AIM_IDS.get(name), gs1=gs1, position=points)


def _as_ean13(name: str, text: str) -> str:
    """UPC-A and UPC-E as 13 digits, as AIM ]E0 transmits them and zxing-cpp reports them."""
    if name == "upca" and len(text) == 12:
        return "0" + text
    if name == "upce" and len(text) == 8 and text.isdigit():
        return "0" + expand_upce(text)
    return text


def expand_upce(upce: str) -> str:
    """The 12-digit UPC-A a UPC-E (8 digits: number system, 6 digits, check digit) stands for."""
    system, d, check = upce[0], upce[1:7], upce[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return system + body + check
