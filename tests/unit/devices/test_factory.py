"""open_scanner: every kind of spec, and bad specs refused with a message that shows a valid one."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from devices.factory import open_scanner
from devices.keyboard import KeyboardScanner
from devices.options import CameraOptions, SerialOptions
from devices.scan import Scan, Scanner
from devices.script_scanner import ScriptScanner
from devices.serial_scanner import SerialScanner
from devices.spec import ScannerSpecError


def test_keyboard_spec_gives_a_queue_backed_scanner() -> None:
    scanner = open_scanner("keyboard")
    assert isinstance(scanner, KeyboardScanner) and isinstance(scanner, Scanner)
    scan = Scan("T-0042", source="keyboard")
    scanner.push(scan)
    assert scanner.read(0.5) is scan
    assert scanner.read(0.01) is None
    scanner.close()
    scanner.push(scan)
    assert scanner.read(0.01) is None


def test_serial_spec_options_reach_the_scanner_and_settings_apply() -> None:
    settings = SerialOptions(max_frame_bytes=64, reconnect_max_seconds=2.0, frame_idle_ms=250)
    scanner = open_scanner("serial:/dev/ttyACM0?baudrate=115200&suffix=crlf&aim=require&prefix=%02", settings)
    assert isinstance(scanner, SerialScanner)
    assert (scanner.url, scanner.baudrate, scanner.reconnect_max_seconds) == ("/dev/ttyACM0", 115200, 2.0)
    config = scanner._framer.config
    assert (config.suffix, config.aim, config.prefix, config.max_frame_bytes) == (
        "CRLF",
        "require",
        b"\x02",
        64,
    )
    assert config.stale_seconds == 0.25
    scanner.close()


def test_pyserial_url_handler_options_pass_through() -> None:
    scanner = open_scanner("serial:socket://localhost:7777?logging=debug&suffix=LF")
    assert isinstance(scanner, SerialScanner) and scanner.url == "socket://localhost:7777?logging=debug"
    scanner.close()


def test_script_spec(tmp_path: Path) -> None:
    script = tmp_path / "scans.txt"
    script.write_text("A-03-02-1\n")
    scanner = open_scanner(f"script:{script}?delay=0.1&loop=1")
    assert isinstance(scanner, ScriptScanner) and scanner.delay == 0.1 and scanner.loop


def test_camera_spec_is_handed_to_the_camera_scanner_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class FakeCameraScanner:
        source = "camera:0"

        @classmethod
        def from_spec(cls, source: str, options: dict[str, str], camera: CameraOptions) -> Any:
            seen.update(source=source, options=options, camera=camera)
            return cls()

    module = types.ModuleType("devices.camera")
    module.CameraScanner = FakeCameraScanner  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "devices.camera", module)
    settings = CameraOptions(decoder="pyzbar")
    scanner = open_scanner("camera:0?fps=15", camera=settings)
    assert isinstance(scanner, FakeCameraScanner)
    assert seen == {"source": "0", "options": {"fps": "15"}, "camera": settings}


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "the scanner spec is empty"),
        ("usb:/dev/ttyACM0", "unknown scanner kind 'usb'"),
        ("serial:", "serial: needs a target"),
        ("serial:/dev/ttyACM0?suffix=NUL", "suffix=NUL is not one of CR, LF, CRLF, TAB, ETX, TIMEOUT"),
        ("serial:/dev/ttyACM0?baud=9600", "unknown serial option baud"),
        ("serial:/dev/ttyACM0?baudrate=fast", "option baudrate='fast' must be a whole number"),
        ("serial:/dev/ttyACM0?aim=maybe", "aim must be one of auto, off, require"),
        ("serial:/dev/ttyACM0?encoding=klingon", "unknown encoding"),
        ("keyboard:extra", "keyboard takes no options"),
        ("script:/no/such/scans.txt", "cannot read the script /no/such/scans.txt"),
        ("script:/tmp/x.txt?speed=2", "unknown script option speed"),
    ],
)
def test_bad_specs_are_refused_with_what_a_valid_spec_looks_like(spec: str, problem: str) -> None:
    with pytest.raises(ScannerSpecError) as caught:
        open_scanner(spec)
    assert problem in str(caught.value)
    assert "serial:/dev/ttyACM0?baudrate=9600&suffix=CR" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("target", "source", "options"),
    [
        ("rtsp://cam/live?token=x?fps=15", "rtsp://cam/live?token=x", {"fps": "15"}),
        ("http://cam/video?action=stream", "http://cam/video?action=stream", {}),
        ("/v/aisle.mp4?fps=10&loop=1", "/v/aisle.mp4", {"fps": "10", "loop": "1"}),
    ],
)
def test_camera_stream_url_keeps_its_own_query_string(target: str, source: str, options: dict) -> None:
    from devices.factory import _split_camera_target

    assert _split_camera_target(target) == (source, options)
