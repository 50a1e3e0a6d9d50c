"""The drivers' settings: plain dataclasses filled from config.toml, overridden by a spec's options."""

from __future__ import annotations

import dataclasses

import pytest

from app.bootstrap.config import camera_options, serial_options
from app.config import CameraSettings, ScannerSettings
from devices.options import CameraOptions, SerialOptions


def test_every_camera_setting_of_config_toml_reaches_the_driver() -> None:
    settings = CameraSettings(
        decoder="pyzbar", symbologies=["ean13"], confirm_frames=3, holdoff_seconds=0.5, downscale=0.5,
        roi=[0.1, 0.1, 0.8, 0.8], deskew_degrees=5.0,
    )  # fmt: skip
    assert CameraOptions.names() == set(CameraSettings.model_fields)
    assert camera_options(settings) == CameraOptions(
        "pyzbar", ("ean13",), 3, 0.5, 0.5, (0.1, 0.1, 0.8, 0.8), 5.0
    )


def test_the_drivers_defaults_are_config_toml_defaults() -> None:
    assert camera_options(CameraSettings()) == CameraOptions()
    assert serial_options(ScannerSettings()) == SerialOptions()
    assert {f.name for f in dataclasses.fields(SerialOptions)} <= set(ScannerSettings.model_fields)
    assert serial_options(
        ScannerSettings(max_frame_bytes=64, frame_idle_ms=250, reconnect_max_seconds=2)
    ) == (SerialOptions(64, 250.0, 2.0))


def test_a_specs_options_override_the_settings_as_text() -> None:
    base = CameraOptions(decoder="zxing")
    changed = base.override({"symbologies": "ean13, qrcode", "roi": "0,0,0.5,1", "confirm_frames": "4"})
    assert changed == dataclasses.replace(
        base, symbologies=("ean13", "qrcode"), roi=(0.0, 0.0, 0.5, 1.0), confirm_frames=4
    )
    assert base.override({}) == base


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"downscale": "2"}, "downscale must be > 0 and <= 1, got 2.0"),
        ({"downscale": "0"}, "downscale must be > 0 and <= 1"),
        ({"confirm_frames": "0"}, "confirm_frames must be at least 1"),
        ({"confirm_frames": "two"}, "confirm_frames must be a whole number, got 'two'"),
        ({"holdoff_seconds": "-1"}, "holdoff_seconds must be at least 0"),
        ({"deskew_degrees": "60"}, "deskew_degrees must be 0 to 45"),
        ({"roi": "0,x"}, "roi must be a number, got 'x'"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_option(options: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CameraOptions().override(options)
