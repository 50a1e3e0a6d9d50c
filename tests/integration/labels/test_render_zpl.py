"""ZPL labels printed through a real ZPL renderer (zebrash) and read back with Aisle's own decoder.

Each label must scan to exactly its tracking number (Code 128, `]C0`), its SSCC (GS1-128 `]C1` 00…) and its
ship-to routing code (GS1-128 AI 420 or 421), at 203 and 300 dpi; the text fields are read from the ZPL
itself.
"""

from __future__ import annotations

import dataclasses

import pytest

from app.labels import Address, LabelData, ZplRenderer, sample_label
from app.labels.zpl_parse import zpl_field_texts
from tests.support.label_render import decoded, render_zpl_png

DOMESTIC = dataclasses.replace(
    sample_label(),
    ship_to=Address("O'Brien ^Lab~ Ltd_x", ("1 Long Lane",), "London", "SW1A 1AA", "GB"),
    tracking_number="AA123456785GB",
    parcel_number=1,
    parcel_count=1,
)
NUMERIC = dataclasses.replace(sample_label(), tracking_number="9400111899223197428490")


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize(
    ("label", "routing"),
    [(sample_label(), "42127610115"), (DOMESTIC, "420SW1A1AA"), (NUMERIC, "42127610115")],
    ids=["cross-border-421", "domestic-420-escaped-text", "numeric-tracking"],
)
def test_rendered_zpl_scans_to_exactly_the_labels_numbers(label: LabelData, routing: str, dpi: int) -> None:
    image = render_zpl_png(ZplRenderer(dpi=dpi).render(label), dpi)
    reads = decoded(image)
    assert set(reads) == {("]C0", label.tracking_number), ("]C1", "00" + label.sscc), ("]C1", routing)}
    # the SSCC lowest on the label: below the tracking and routing codes
    sscc_top = min(y for _, y in reads["]C1", "00" + label.sscc].position)
    others = [max(y for _, y in d.position) for key, d in reads.items() if key != ("]C1", "00" + label.sscc)]
    assert sscc_top > max(others)


def test_zpl_text_fields_say_what_the_label_data_say() -> None:
    label = sample_label()
    fields = zpl_field_texts(ZplRenderer().render(label).decode())
    for text in (
        "Aisle Demo Warehouse",
        "Unit 4, Dock Road",
        "LS1 4AB Leeds GB",
        "Jana Müller",
        "Hauptstraße 5",
        "2. OG",
        "10115 Berlin DE",
        "Demo Express",
        "EXPRESS",
        "1.25 kg",
        "parcel 2 of 3",
        "Order ORD-1234",
        "1Z999AA10123456784",
        "(00) 012345600000000012",
        "(421) 276 10115",
    ):
        assert text in fields


def test_caret_and_tilde_in_a_name_stay_text_and_the_label_still_scans() -> None:
    zpl = ZplRenderer().render(DOMESTIC).decode()
    assert "^Lab" not in zpl and "~ " not in zpl  # neither starts a ZPL command
    assert "O'Brien _5ELab_7E Ltd_5Fx" in zpl
    assert "O'Brien ^Lab~ Ltd_x" in zpl_field_texts(zpl)
    assert zpl.count("^XA") == 1 and zpl.rstrip().endswith("^XZ")


@pytest.mark.parametrize(("dpi", "width", "height"), [(203, 812, 1218), (300, 1200, 1800)])
def test_label_size_follows_the_dpi(dpi: int, width: int, height: int) -> None:
    zpl = ZplRenderer(dpi=dpi).render(sample_label()).decode()
    assert f"^PW{width}\n" in zpl and f"^LL{height}\n" in zpl
    # zebrash draws on a canvas of whole dots per mm (12 at 300 dpi: a little larger than the label); every
    # dot the label prints lies inside ^PW x ^LL, and the label reaches near its edges
    image = render_zpl_png(zpl.encode(), dpi)
    ink_y, ink_x = (image < 128).nonzero()
    assert ink_x.max() < width and ink_y.max() < height
    assert ink_x.max() > 0.9 * width and ink_y.max() > 0.9 * height
