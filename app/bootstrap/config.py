"""config.toml's sections turned into the plain values each part takes (domain rules, driver options).

Light on imports (no SQLAlchemy, no Textual), so commands that only scan or decode use it too.
"""

from __future__ import annotations

import re

from app.cli import UserError
from app.config import CameraSettings, ScannerSettings, Settings
from app.domain.packing import WeightTolerance
from app.domain.scanning import LabelRules
from app.station.services.deps import StationConfig, parse_box
from devices.options import CameraOptions, SerialOptions


def label_rules(settings: Settings) -> LabelRules:
    """The domain's LabelRules from [labels] and [scanner] gs_replacement; a broken pattern is named."""
    labels = settings.labels.model_dump()
    for name in ("location", "tote", "badge", "order", "rma"):
        try:
            re.compile(labels[name])
        except re.error as exc:
            raise UserError(
                f"config [labels] {name} = {labels[name]!r} is not a valid pattern: {exc}"
            ) from None
    return LabelRules(**labels, gs_replacement=settings.scanner.gs_replacement)


def station_config(settings: Settings, role: str, station_id: str) -> StationConfig:
    """The station's identity and verdict settings from [station]; a wrong box type is named."""
    st = settings.station
    try:
        boxes = tuple(parse_box(b) for b in st.box_types)
    except ValueError as exc:
        raise UserError(f"[station] box_types: {exc}") from None
    tolerance = WeightTolerance(st.weight_tolerance_g, st.weight_tolerance_percent)
    return StationConfig(station_id, role, boxes, tolerance)


def serial_options(scanner: ScannerSettings) -> SerialOptions:
    """[scanner]'s framing and back-off, as the serial (and camera) drivers take them."""
    return SerialOptions(scanner.max_frame_bytes, scanner.frame_idle_ms, scanner.reconnect_max_seconds)


def camera_options(camera: CameraSettings) -> CameraOptions:
    """[camera], as the camera driver takes it (config.toml has validated every value already)."""
    values = camera.model_dump()
    return CameraOptions(**values | {"symbologies": tuple(camera.symbologies), "roi": tuple(camera.roi)})
