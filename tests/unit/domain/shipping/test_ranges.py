"""Range specs from [shipping]: tracking_ranges strings, the SSCC range of a prefix, and wrong ones named."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import SettingsError, ShippingSettings, load_settings
from app.domain.shipping.schemes import sscc_range, tracking_range


def test_a_tracking_range_names_its_kind_scheme_params_and_serials() -> None:
    spec = tracking_range("post:s10:RA:GB:1-2000")
    assert (spec.kind, spec.scheme, spec.params, spec.first, spec.last) == (
        "post-s10", "s10", {"service_indicator": "RA", "country": "GB"}, 1, 2000,
    )  # fmt: skip
    ups = tracking_range("express:ups:999AA1:01")
    assert (ups.first, ups.last) == (0, 9_999_999) and ups.build().issue(2345678) == "1Z999AA10123456784"
    assert tracking_range("courier:mod10::12").build().issue(3) == "000000000031"


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("post:s10:RA", "CARRIER:SCHEME"),
        ("Post:s10:RA:GB", "CARRIER:SCHEME"),
        ("post:sscc:0614141:0", "tracking schemes"),
        ("post:s10:RA:GB:5-1", "first <= last"),
        ("post:s10:RA:GB:1-100000000", "within"),
        ("post:s10:RA:GB:x", "FIRST-LAST"),
        ("express:ups:999AA:01", "shipper"),
    ],
)
def test_a_wrong_tracking_range_says_what_is_wrong(spec: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        tracking_range(spec)


def test_the_sscc_range_spans_the_serial_references_of_the_prefix() -> None:
    spec = sscc_range("061414112", 3)
    assert (spec.kind, spec.first, spec.last) == ("sscc-061414112", 0, 9_999_999)
    assert sscc_range("0614141", 0, "100-199").last == 199


def test_shipping_settings_list_every_range_and_refuse_two_of_one_kind() -> None:
    s = ShippingSettings(company_prefix="0614141", tracking_ranges=["post:s10:RA:GB"])
    assert [r.kind for r in s.ranges()] == ["sscc-0614141", "post-s10"]
    assert ShippingSettings().ranges() == []
    with pytest.raises(ValueError, match="same carrier and scheme"):
        ShippingSettings(tracking_ranges=["post:s10:RA:GB", "post:s10:RR:GB"])


def test_a_wrong_shipping_setting_stops_start_up_naming_the_section(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text('[shipping]\ncompany_prefix = "12345"\n')
    with pytest.raises(SettingsError, match=r"shipping.*company prefix has 7 to 11 digits"):
        load_settings(bad, {})
    env = {"AISLE_SHIPPING__TRACKING_RANGES": "post:s10:RA:GB,express:ups:999AA1:01"}
    assert len(load_settings(bad.with_name("none.toml"), env).shipping.ranges()) == 2
