"""ZPL field data: text escaped for ^FH, Code 128 and GS1-128 written with ^BC invocation codes."""

from __future__ import annotations

import pytest

from app.labels.zpl_fields import code128_field, fit_module, zpl_text
from app.labels.zpl_parse import zpl_field_texts


def test_caret_tilde_and_the_escape_character_become_hex() -> None:
    assert zpl_text("a^b~c_d") == "a_5Eb_7Ec_5Fd"
    assert zpl_text("two\nlines") == "two lines"
    assert zpl_text("Müller") == "Müller"  # UTF-8 under ^CI28


def test_escaped_text_reads_back() -> None:
    zpl = f"^XA^FO1,1^FH^FD{zpl_text('x^y~z_ü')}^FS^FO1,1^FDplain_5E^FS^XZ"
    assert zpl_field_texts(zpl) == ["x^y~z_ü", "plain_5E"]  # no ^FH: no hex decoding


def test_gs1_128_starts_with_fnc1_after_start_c_for_even_digits() -> None:
    f = code128_field("00012345600000000012", gs1=True)
    assert f.fd == ">;>800012345600000000012"
    # start, FNC1, 10 digit pairs, check: 13 symbols of 11 modules, stop 13, quiet zones 2 x 10
    assert f.modules == 13 * 11 + 13 + 20


def test_odd_or_mixed_data_goes_in_subset_b_without_switching() -> None:
    assert code128_field("42127610115", gs1=True).fd == ">:>842127610115"
    assert code128_field("1Z999AA10123456784").fd == ">:1Z999AA10123456784"
    assert code128_field("a>b^").fd == ">:a><b_5E"


def test_plain_code128_has_no_fnc1() -> None:
    assert code128_field("123456").fd == ">;123456"


@pytest.mark.parametrize("data", ["", "é", "a\tb"])
def test_data_outside_code128_b_is_refused(data: str) -> None:
    with pytest.raises(ValueError, match="Code 128"):
        code128_field(data)


def test_module_width_narrows_only_when_the_code_would_not_fit() -> None:
    assert fit_module(253, 3, 812) == 3
    assert fit_module(297, 3, 812) == 2
    assert fit_module(2000, 3, 812) == 1
