"""`open_scanner(spec)`: the one place a scanner spec string becomes a Scanner."""

from __future__ import annotations

import importlib

from devices.keyboard import KeyboardScanner
from devices.options import CameraOptions, SerialOptions
from devices.scan import Scanner
from devices.script_scanner import ScriptScanner
from devices.spec import ScannerSpecError, split_query

KINDS = ("serial", "camera", "keyboard", "script")


def open_scanner(
    spec: str, scanner: SerialOptions | None = None, camera: CameraOptions | None = None
) -> Scanner:
    """Build the scanner a spec names: ``keyboard``, ``serial:URL?…``, ``camera:SOURCE?…``, ``script:PATH``.

    `scanner` ([scanner] framing and back-off) and `camera` ([camera]) are the defaults the spec's options
    override; None means the drivers' own defaults.

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
        from devices.serial_scanner import SerialScanner  # lazy: pyserial only when a serial scanner is used

        serial = scanner or SerialOptions()
        return SerialScanner.from_spec(
            target,
            max_frame_bytes=serial.max_frame_bytes,
            frame_idle_ms=serial.frame_idle_ms,
            reconnect_max_seconds=serial.reconnect_max_seconds,
        )
    if kind == "script":
        return ScriptScanner.from_spec(target)
    return _open_camera(target, camera, scanner)


def _open_camera(target: str, camera: CameraOptions | None, scanner: SerialOptions | None) -> Scanner:
    source, options = _split_camera_target(target)
    if scanner is not None:  # the [scanner] back-off applies to cameras too, unless the spec says otherwise
        options.setdefault("reconnect_max_seconds", str(scanner.reconnect_max_seconds))
    try:  # lazy: OpenCV is slow to import and absent on some terminals
        module = importlib.import_module("devices.camera")
    except ImportError as exc:
        raise ScannerSpecError(f"camera scanners are not available here ({exc})") from None
    try:
        opened: Scanner = module.CameraScanner.from_spec(source, options, camera or CameraOptions())
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
        from devices.camera import camera_option_names  # lazy: OpenCV, as above

        if not set(options) <= camera_option_names():
            return target, {}  # the query belongs to the stream URL
    return head, options
