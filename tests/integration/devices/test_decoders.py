"""Decoders: each symbology per backend, GS kept, GS1 told apart from plain codes, robust to blur and tilt."""

from __future__ import annotations

import numpy as np
import pytest

from devices.decoders import SYMBOLOGIES, DecoderError, decode, installed_backends, resolve_backend, show_gs
from tests.support.barcodes import GS, SAMPLES, place, sample_image

ZBAR_CANNOT = {"datamatrix", "gs1-datamatrix"}
BACKENDS = [b for b in ("zxing", "pyzbar") if b in installed_backends()]


def cases() -> list[tuple[str, str]]:
    return [(b, s) for b in BACKENDS for s in SAMPLES if not (b == "pyzbar" and s in ZBAR_CANNOT)]


@pytest.mark.parametrize(("backend", "symbology"), cases())
def test_each_symbology_is_read_with_its_name_text_and_aim_id(backend: str, symbology: str) -> None:
    found = decode(place(sample_image(symbology), 1280, 360), backend, SYMBOLOGIES)
    assert [(d.symbology, d.text) for d in found] == [(symbology, SAMPLES[symbology][3])]
    assert found[0].aim is not None and found[0].aim.startswith("]")
    assert found[0].gs1 == symbology.startswith("gs1-")


@pytest.mark.parametrize("backend", BACKENDS)
def test_gs_separator_survives_in_gs1_128(backend: str) -> None:
    (read,) = decode(place(sample_image("gs1-128"), 1280, 360), backend, ["gs1-128"])
    assert GS in read.text and read.raw == read.text.encode()
    assert (read.aim, read.gs1) == ("]C1", True)
    assert show_gs(read.text) == "010950600013435210LOT42<GS>17260101"


@pytest.mark.parametrize("backend", BACKENDS)
def test_gs1_128_is_told_apart_from_code_128(backend: str) -> None:
    plain = decode(place(sample_image("code128"), 640, 360), backend, ["code128", "gs1-128"])
    gs1 = decode(place(sample_image("gs1-128"), 1280, 360), backend, ["code128", "gs1-128"])
    assert [(d.symbology, d.aim, d.gs1) for d in plain] == [("code128", "]C0", False)]
    assert [(d.symbology, d.aim, d.gs1) for d in gs1] == [("gs1-128", "]C1", True)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_symbologies_not_configured_are_ignored(backend: str) -> None:
    frame = place(sample_image("gs1-128"), 1280, 360)
    assert decode(frame, backend, ["code128", "ean13"]) == []


def test_upca_is_admitted_by_ean13_and_named_upca() -> None:
    (read,) = decode(place(sample_image("upca"), 640, 360), BACKENDS[0], ["ean13"])
    assert (read.symbology, read.text) == ("upca", "0036000291452")


def test_zxing_reads_gs1_datamatrix_with_its_aim_id() -> None:
    pytest.importorskip("zxingcpp")
    (read,) = decode(place(sample_image("gs1-datamatrix"), 640, 360), "zxing", ["gs1-datamatrix"])
    assert (read.aim, read.gs1, show_gs(read.text)) == ("]d2", True, "010950600013435210LOT42<GS>17260101")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("symbology", "module_px"), [("ean13", 3), ("code128", 3), ("qrcode", 5)])
def test_blurred_tilted_noisy_codes_are_read(backend: str, symbology: str, module_px: int) -> None:
    frame = place(
        sample_image(symbology, module_px), 1280, 720, angle=8, blur=1.0, noise=6, seed=3, clutter=True
    )
    found = decode(frame, backend, SYMBOLOGIES)
    assert SAMPLES[symbology][3] in [d.text for d in found]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_frame_yields_nothing(backend: str) -> None:
    assert decode(np.full((360, 640, 3), 200, np.uint8), backend, SYMBOLOGIES) == []


def test_auto_prefers_zxing_when_installed() -> None:
    assert resolve_backend("auto") == installed_backends()[0]
    if "zxing" in installed_backends():
        assert resolve_backend("auto") == "zxing"


@pytest.mark.parametrize(("backend", "symbologies"), [("zbarcode", ["ean13"]), ("auto", ["ean14"])])
def test_wrong_decoder_settings_are_named(backend: str, symbologies: list[str]) -> None:
    with pytest.raises(DecoderError, match=backend if backend != "auto" else "ean14"):
        decode(np.zeros((10, 10), np.uint8), backend, symbologies)


def test_a_frame_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ValueError):
        decode(np.zeros((0,), np.uint8), BACKENDS[0], SYMBOLOGIES)
