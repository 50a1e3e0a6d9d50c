"""carriers.toml: the shipped example loads; every mistake names its key or its environment variable."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.carriers.config import CarrierConfigError, Secret, load_carriers, parse_carriers

EXAMPLE = Path(__file__).resolve().parents[3] / "carriers.toml"


def example() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def error_of(data: dict[str, Any], environ: dict[str, str] | None = None) -> str:
    with pytest.raises(CarrierConfigError) as info:
        parse_carriers(data, "carriers.toml", environ or {})
    return str(info.value)


def test_the_shipped_example_has_a_post_and_a_courier() -> None:
    config = load_carriers(EXAMPLE, environ={})
    assert [(a.code, a.kind) for a in config.accounts] == [("post", "generic"), ("courier", "generic")]
    post = config.account("post").sheet
    assert post is not None and post.cutoff.hour == 16 and post.dim_divisor == 5000
    parcel = post.services[0]
    assert parcel.max_weight_g == 31_500 and parcel.max_sides_mm == (1200, 600, 600)
    assert str(parcel.prices["DE"].bands[0].price) == "4.99"
    assert str(config.timezone) == "Europe/Berlin" and config.preference == ("post", "courier")


def _post(d: dict[str, Any]) -> dict[str, Any]:
    return d["carriers"]["post"]


def _parcel(d: dict[str, Any]) -> dict[str, Any]:
    return _post(d)["services"][0]


BAD_KEYS = [
    (lambda d: _parcel(d).update(max_weight_kg=-1), "carriers.post.services[0].max_weight_kg"),
    (lambda d: _post(d)["services"][1].update(level="overnight"), "carriers.post.services[1].level"),
    (lambda d: _post(d).update(cutoff="25:00"), "carriers.post.cutoff"),
    (lambda d: _post(d).update(colour="red"), "carriers.post.colour"),
    (
        lambda d: d["carriers"]["courier"]["zones"][0].update(countries=["Germany"]),
        "carriers.courier.zones[0]",
    ),
    (
        lambda d: _parcel(d)["prices"]["DE"].update(bands=[[5, 1], [2, 1]]),
        "carriers.post.services[0].prices.DE",
    ),
    (lambda d: _parcel(d)["prices"]["DE"].update(bands=[[0.125, 1]]), "carriers.post.services[0].prices.DE"),
    (
        lambda d: _parcel(d)["prices"].update(XX={"transit_days": 1, "bands": [[1, 1]]}),
        "carriers.post.services[0]",
    ),
    (lambda d: _post(d).update(kind="local"), "carriers.post"),
    (lambda d: d.update(preference=["post/overnight"]), "preference[0]"),
    (lambda d: d["carriers"]["courier"].update(currency="GBP"), "currency"),
    (lambda d: d.update(timezone="Mars/Olympus"), "timezone"),
]


@pytest.mark.parametrize(("change", "key"), BAD_KEYS)
def test_a_bad_key_is_named(change: Any, key: str) -> None:
    data = copy.deepcopy(example())
    change(data)
    message = error_of(data)
    assert message.startswith("carriers.toml: ")
    assert f" {key}" in message or f"'{key}" in message, message


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CarrierConfigError, match="no such carriers file"):
        load_carriers(tmp_path / "nope.toml")


def live(**extra: Any) -> dict[str, Any]:
    data = example()
    data["carriers"]["parcelco"] = {
        "kind": "live",
        "plugin": "generic",  # an installed karrio plugin, so the test runs offline
        "name": "Parcel Co",
        "settings": {"display_name": "Parcel Co", "custom_carrier_name": "parcelco"},
        "credentials": {"account_number": "AISLE_PARCELCO_ACCOUNT"},
        **extra,
    }
    return data


def test_live_credentials_come_from_the_environment_and_never_show() -> None:
    config = parse_carriers(live(), "carriers.toml", {"AISLE_PARCELCO_ACCOUNT": "s3cr3t-4711"})
    account = config.account("parcelco")
    assert account.credentials["account_number"].reveal() == "s3cr3t-4711"
    for shown in (repr(config), str(config), repr(account), repr(account.credentials), str(Secret("x"))):
        assert "s3cr3t-4711" not in shown and "'x'" not in shown


def test_a_missing_environment_variable_is_named() -> None:
    message = error_of(live())
    assert "carriers.parcelco.credentials.account_number" in message
    assert "AISLE_PARCELCO_ACCOUNT is not set" in message


def test_a_secret_pasted_into_the_file_is_refused_without_echoing_it() -> None:
    message = error_of(live(credentials={"account_number": "hunter2-pasted"}))
    assert "carriers.parcelco.credentials" in message and "environment variable" in message
    assert "hunter2-pasted" not in message


def test_an_uninstalled_plugin_says_which_package() -> None:
    message = error_of(live(plugin="nosuchcarrier"), {"AISLE_PARCELCO_ACCOUNT": "x"})
    assert "carriers.parcelco.plugin" in message and "pip install karrio-nosuchcarrier" in message
