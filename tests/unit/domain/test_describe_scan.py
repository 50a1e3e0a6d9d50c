"""What a scan carries, element by element, for `aisle scan`: GS1-128, DataBar, DataMatrix/QR, HRI, ITF-14."""

from __future__ import annotations

import pytest

from app.domain.gs1 import ElementRow, describe_elements
from app.domain.interpret import describe_scan
from app.domain.scanning import LabelRules

GS = "\x1d"
GTIN = "09506000134352"
GTIN_ROW = ElementRow("01", "GTIN", GTIN)


@pytest.mark.parametrize(
    ("text", "aim", "rows"),
    [
        (  # the GS1-128 scan: GTIN, lot, expiry
            f"01{GTIN}10ABC123{GS}17271231",
            "]C1",
            [
                GTIN_ROW,
                ElementRow("10", "BATCH/LOT", "ABC123"),
                ElementRow("17", "USE BY or EXPIRY", "2027-12-31"),
            ],
        ),
        (f"01{GTIN}", "]e0", [GTIN_ROW]),  # GS1 DataBar
        (  # GS1 DataBar Expanded / DataMatrix: weight as a decimal, the day 00 as the month's end
            f"01{GTIN}17270200{GS}3103000450",
            "]d2",
            [
                GTIN_ROW,
                ElementRow("17", "USE BY or EXPIRY", "2027-02-28"),
                ElementRow("3103", "NET WEIGHT (kg)", "0.450"),
            ],
        ),
        (
            f"01{GTIN}21SER1{GS}3712",
            "]Q3",
            [GTIN_ROW, ElementRow("21", "SERIAL", "SER1"), ElementRow("37", "COUNT", "12")],
        ),
        ("10012345678902", "]I1", [ElementRow("01", "GTIN", "10012345678902")]),  # ITF-14 case code
        (f"(01){GTIN}(10)L7", None, [GTIN_ROW, ElementRow("10", "BATCH/LOT", "L7")]),  # HRI, no AIM
        (f"]C101{GTIN}", None, [GTIN_ROW]),  # the AIM identifier still in front of the text
        ("00376104250021234569", "]C1", [ElementRow("00", "SSCC", "376104250021234569")]),
        ("4006381333931", "]E0", []),  # a plain EAN-13 carries no elements
        ("A-03-02-1", None, []),
        ("CMD-DONE", "]C1", []),
    ],
)
def test_describe_scan_lists_every_element_with_title_and_value(
    text: str, aim: str | None, rows: list[ElementRow]
) -> None:
    assert describe_scan(text, aim=aim, rules=LabelRules()) == rows


def test_a_bad_element_ends_the_rows_read_before_it() -> None:
    assert describe_elements(f"01{GTIN}172713") == [GTIN_ROW]  # month 13: interpret says what is wrong
    assert describe_elements("99") == []


def test_the_gs_replacement_separates_elements_too() -> None:
    rows = describe_elements(f"01{GTIN}10L1|17271231", gs_replacement="|")
    assert [r.ai for r in rows] == ["01", "10", "17"]
