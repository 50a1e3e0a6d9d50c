"""Scanners and scales from their specs, with config.toml's [scanner] and [camera] as their defaults."""

from __future__ import annotations

from app.bootstrap.config import camera_options, serial_options
from app.cli import UserError
from app.config import Settings
from app.station.services.terminal_ports import Scale
from devices.factory import open_scanner as open_scanner_spec
from devices.scan import Scanner


def open_scanner(spec: str, settings: Settings) -> Scanner:
    """The scanner a spec names (keyboard, serial:…, camera:…, script:…); a wrong spec stops, named."""
    try:
        return open_scanner_spec(spec, serial_options(settings.scanner), camera_options(settings.camera))
    except ValueError as exc:  # ScannerSpecError says what a valid spec looks like
        raise UserError(f"--scanner: {exc}") from None


def open_scale(spec: str, settings: Settings) -> Scale | None:
    """The bench scale a spec names (None: the packer types weights); a wrong spec stops with a message."""
    from devices.scale_factory import open_scale as open_spec  # lazy: pyserial, for a packer with a scale

    try:
        return open_spec(spec, reconnect_max_seconds=settings.scanner.reconnect_max_seconds)
    except ValueError as exc:
        raise UserError(f"--scale / [station] scale: {exc}") from None
