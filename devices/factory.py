"""`open_scanner(spec)`: the one place a scanner spec string becomes a Scanner."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from devices.keyboard import KeyboardScanner
from devices.scan import Scanner
from devices.script_scanner import ScriptScanner
from devices.spec import ScannerSpecError, split_query

if TYPE_CHECKING:
    from app.config import CameraSettings, ScannerSettings

KINDS = ("serial", "camera", "keyboard", "script")


def open_scanner(
    spec: str, scanner: ScannerSettings | None = None, camera: CameraSettings | None = None
) -> Scanner:
    """Build the scanner a spec names: ``keyboard``, ``serial:URL?…``, ``camera:SOURCE?…``, ``script:PATH``.

    Raises ScannerSpecError (a ValueError) for a spec that cannot be understood. A serial device that is
    absent is not an error here: the scanner reports itself disconnected and keeps trying.
    """
    spec = spec.strip()
    kind, sep, target = spec.partition(":")
    kind = kind.lower()
    if kind == "keyboard":
        if sep and target:
            raise ScannerSpecError(f"keyboard takes no options, got {spec!r}")
        return KeyboardScanner()
    if kind not in KINDS:
        raise ScannerSpecError(
            f"unknown scanner kind {kind!r} in {spec!r}" if spec else "the scanner spec is empty"
        )
    if not target:
        raise ScannerSpecError(f"{kind}: needs a target after the colon")
    if kind == "serial":
        from devices.serial_scanner import SerialScanner  # pyserial only when a serial scanner is used

        return SerialScanner.from_spec(
            target,
            max_frame_bytes=scanner.max_frame_bytes if scanner else 512,
            frame_idle_ms=scanner.frame_idle_ms if scanner else 500.0,
            reconnect_max_seconds=scanner.reconnect_max_seconds if scanner else 5.0,
        )
    if kind == "script":
        return ScriptScanner.from_spec(target)
    return _open_camera(target, camera, scanner)


def _open_camera(target: str, camera: CameraSettings | None, scanner: ScannerSettings | None) -> Scanner:
    # Imported only when asked for: OpenCV is slow to import and absent on some terminals.
    source, options = _split_camera_target(target)
    if scanner is not None:  # the [scanner] back-off applies to cameras too, unless the spec says otherwise
        options.setdefault("reconnect_max_seconds", str(scanner.reconnect_max_seconds))
    try:
        module = importlib.import_module("devices.camera")
    except ImportError as exc:
        raise ScannerSpecError(f"camera scanners are not available here ({exc})") from None
    if camera is None:
        from app.config import CameraSettings

        camera = CameraSettings.model_validate({})
    try:
        opened: Scanner = module.CameraScanner.from_spec(source, options, camera)
    except ScannerSpecError:
        raise
    except ValueError as exc:  # the camera's own spec errors (CameraSpecError) say what is wrong
        raise ScannerSpecError(str(exc)) from None
    return opened


def _split_camera_target(target: str) -> tuple[str, dict[str, str]]:
    """Split a camera target at its last ``?``; a stream URL keeps its own query string.

    ``rtsp://cam/live?token=x?fps=15`` → source ``rtsp://cam/live?token=x``, options ``{fps: 15}``;
    ``http://cam/video?action=stream`` (no Aisle options) stays whole.
    """
    head, sep, query = target.rpartition("?")
    if not sep:
        return target, {}
    _, options = split_query(f"?{query}")
    if "://" in head:
        from devices.camera import camera_option_names

        if not set(options) <= camera_option_names():
            return target, {}  # the query belongs to the stream URL
    return head, options
