"""PDF labels rasterised by pdfium and read back with Aisle's own decoder; their text read back by pdfium."""

from __future__ import annotations

import dataclasses

import pytest

from app.labels import Address, LabelData, render_pdf, sample_label
from tests.support.label_render import decoded, pdf_text, render_pdf_png

DOMESTIC = dataclasses.replace(
    sample_label(),
    ship_from=Address("Aisle Demo Warehouse", ("Unit 4",), "London", "E1 6AN", "GB"),
    ship_to=Address("O'Brien ^Lab~ Ltd", ("1 Long Lane", "Flat 2", "Rear door"), "Leeds", "LS1 4AB", "GB"),
    tracking_number="AA123456785GB",
)


@pytest.mark.parametrize(
    ("label", "routing"), [(sample_label(), "42127610115"), (DOMESTIC, "420LS14AB")], ids=["421", "420"]
)
def test_rasterised_pdf_scans_to_exactly_the_labels_numbers(label: LabelData, routing: str) -> None:
    pdf = render_pdf(label)
    image = render_pdf_png(pdf)
    assert image.shape == (1218, 812)  # 4 x 6 in at 203 dpi
    reads = decoded(image)
    assert set(reads) == {("]C0", label.tracking_number), ("]C1", "00" + label.sscc), ("]C1", routing)}
    sscc_top = min(y for _, y in reads["]C1", "00" + label.sscc].position)
    assert all(
        sscc_top > max(y for _, y in d.position) for k, d in reads.items() if k[1] != "00" + label.sscc
    )


def test_pdf_text_says_what_the_label_data_say() -> None:
    lines = pdf_text(render_pdf(sample_label()))
    assert lines == [
        "FROM Aisle Demo Warehouse",
        "Unit 4, Dock Road",
        "LS1 4AB Leeds GB",
        "TO Jana Müller",
        "Hauptstraße 5",
        "2. OG",
        "10115 Berlin DE",
        "Demo Express",
        "EXPRESS",
        "1.25 kg",
        "parcel 2 of 3",
        "Order ORD-1234",
        "(421) 276 10115",
        "1Z999AA10123456784",
        "SSCC",
        "(00) 012345600000000012",
    ]


def test_pdf_prints_zpl_special_characters_as_text() -> None:
    assert "TO O'Brien ^Lab~ Ltd" in pdf_text(render_pdf(DOMESTIC))
