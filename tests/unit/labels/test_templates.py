"""Label templates the shop edits: checked at start-up, a broken one named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.labels import LabelTemplateError, ZplRenderer, check_templates, sample_label
from app.labels.zpl import BUILTIN_TEMPLATES, TEMPLATE

BUILTIN = (BUILTIN_TEMPLATES / TEMPLATE).read_text(encoding="utf-8")


def shop(tmp_path: Path, text: str) -> Path:
    (tmp_path / TEMPLATE).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_built_in_template_passes_at_both_resolutions() -> None:
    assert check_templates("", 203) == BUILTIN_TEMPLATES / TEMPLATE
    assert check_templates("", 300) == BUILTIN_TEMPLATES / TEMPLATE


def test_a_shop_template_is_used_in_place_of_aisles(tmp_path: Path) -> None:
    folder = shop(tmp_path, BUILTIN.replace("^FDFROM^FS", "^FDSENDER^FS"))
    assert check_templates(folder) == folder / TEMPLATE
    assert b"^FDSENDER^FS" in ZplRenderer(folder).render(sample_label())
    assert b"^FDSENDER^FS" not in ZplRenderer().render(sample_label())


def test_an_unknown_variable_is_named_with_the_template_and_its_line(tmp_path: Path) -> None:
    lines = BUILTIN.splitlines()
    at = next(i for i, line in enumerate(lines) if "label.order_reference" in line)
    lines[at] = lines[at].replace("label.order_reference", "label.order_ref")
    folder = shop(tmp_path, "\n".join(lines))
    with pytest.raises(LabelTemplateError, match=rf"parcel\.zpl\.j2, line {at + 1}: .*order_ref"):
        check_templates(folder)


def test_a_misspelt_top_level_variable_is_named_too(tmp_path: Path) -> None:
    folder = shop(tmp_path, "^XA\n^PW{{ width }}\n^LL{{ hieght }}\n^XZ\n")
    with pytest.raises(LabelTemplateError, match=r"line 3: 'hieght' is undefined"):
        check_templates(folder)


def test_a_syntax_error_is_named_with_its_line(tmp_path: Path) -> None:
    folder = shop(tmp_path, "^XA\n{% for x in %}\n^XZ\n")
    with pytest.raises(LabelTemplateError, match=r"parcel\.zpl\.j2, line 2: "):
        check_templates(folder)


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ("{{ bc.sscc.fd }}", "SSCC barcode"),
        ("{{ label.sscc_text }}", "SSCC line"),
        ("{{ bc.routing.fd }}", "routing barcode"),
        ("{{ label.parcel_text }}", "parcel n of N"),
        ("{{ label.service }}", "service"),
        ("^PW{{ width }}", r"\^PW812"),
        ("^XZ", "one label"),
    ],
)
def test_a_template_that_leaves_out_what_a_label_must_carry_is_refused(
    tmp_path: Path, drop: str, message: str
) -> None:
    folder = shop(tmp_path, BUILTIN.replace(drop, ""))
    with pytest.raises(LabelTemplateError, match=message):
        check_templates(folder)


def test_a_template_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(LabelTemplateError, match="is not a folder"):
        check_templates(tmp_path / "nope")


def test_positions_scale_with_the_dpi() -> None:
    z203 = ZplRenderer(dpi=203).render(sample_label()).decode()
    z300 = ZplRenderer(dpi=300).render(sample_label()).decode()
    assert "^FO30,638^A0N,30,30^FH^FDOrder ORD-1234^FS" in z203
    assert "^FO44,943^A0N,44,44^FH^FDOrder ORD-1234^FS" in z300  # x 300/203
    assert "^BY4^BC" in z203 and "^BY6^BC" in z300  # the SSCC's 0.5 mm module


def test_a_wrong_dpi_is_refused() -> None:
    with pytest.raises(ValueError, match="dpi"):
        ZplRenderer(dpi=72)
