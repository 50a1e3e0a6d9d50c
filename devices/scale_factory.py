"""`open_scale(spec)`: the one place a scale spec becomes a scale (or None: the packer types weights)."""

from __future__ import annotations

import threading

from devices.scale import PROTOCOLS, SerialScale
from devices.spec import ScannerSpecError, check_known, option_float, option_int, split_query

VALID_SCALE_SPECS = (
    "a valid scale spec is empty (no scale: the packer types the weight) | "
    "serial:/dev/ttyUSB0?baudrate=9600&protocol=nci (protocol nci or continuous; any pyserial URL: "
    "serial:socket://host:port, serial:rfc2217://host:port) | fake:1234 (always 1234 g, for demos)"
)
OPTIONS = {"baudrate", "bytesize", "parity", "protocol", "poll_ms"}
PASSTHROUGH = {"logging", "ign_set_control", "poll_modem", "timeout"}


class ScaleSpecError(ValueError):
    """A scale spec that cannot be understood; the message says what a valid spec looks like."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; {VALID_SCALE_SPECS}")
        self.problem = problem


class FakeScale:
    """``fake:1234``: a scale that reads a stable weight at once; tests change it with `place`."""

    def __init__(self, grams: int | None = None) -> None:
        self.source = f"fake:{grams}"
        self.state = "connected"
        self._grams = grams
        self._version, self._seen = 0, -1
        self._changed = threading.Condition()

    def place(self, grams: int | None) -> None:
        """Put a parcel of `grams` on the scale (None or 0: take it off)."""
        with self._changed:
            self._grams = grams
            self._version += 1
            self._changed.notify_all()

    def read_grams(self, timeout: float) -> int | None:
        """The weight on the scale; waits up to `timeout` for a change once the current one was read."""
        with self._changed:
            if self._seen == self._version:
                self._changed.wait(timeout)
            self._seen = self._version
            grams = self._grams
        return grams if grams is not None and grams > 0 else None

    def close(self) -> None:
        """Wake a reader; nothing to release."""
        self.place(self._grams)


def open_scale(spec: str, *, reconnect_max_seconds: float = 5.0) -> SerialScale | FakeScale | None:
    """Build the scale a spec names: empty → None, ``serial:URL?protocol=nci|continuous&…``, ``fake:GRAMS``.

    Raises ScaleSpecError (a ValueError) for a spec that cannot be understood. An absent serial device is not
    an error here: the scale reports itself disconnected and keeps trying.
    """
    spec = spec.strip()
    if not spec:
        return None
    kind, _, target = spec.partition(":")
    kind = kind.lower()
    if kind == "fake":
        if not target.isdigit():
            raise ScaleSpecError(f"fake: needs a weight in grams, got {target!r}")
        return FakeScale(int(target))
    if kind != "serial":
        raise ScaleSpecError(f"unknown scale kind {kind!r} in {spec!r}")
    try:
        url, options = split_query(target)
        check_known(options, OPTIONS | PASSTHROUGH, "serial scale")
        baudrate = option_int(options, "baudrate", 9600)
        bytesize = option_int(options, "bytesize", 8, minimum=5)
        poll_s = option_float(options, "poll_ms", 200, minimum=10) / 1000
    except ScannerSpecError as exc:
        raise ScaleSpecError(exc.problem) from None
    if not url:
        raise ScaleSpecError("serial: needs a device or pyserial URL")
    if bytesize > 8:
        raise ScaleSpecError(f"bytesize={bytesize} must be 5 to 8")
    parity = options.get("parity", "N").upper()
    if parity not in ("N", "E", "O"):
        raise ScaleSpecError(f"parity={parity} is not one of N, E, O")
    protocol = options.get("protocol", "nci").lower()
    if protocol not in PROTOCOLS:
        raise ScaleSpecError(f"protocol={protocol} is not one of {', '.join(PROTOCOLS)}")
    passthrough = "&".join(f"{k}={v}" for k, v in options.items() if k in PASSTHROUGH)
    return SerialScale(
        f"{url}?{passthrough}" if passthrough else url,
        protocol=protocol,
        baudrate=baudrate,
        bytesize=bytesize,
        parity=parity,
        poll_seconds=poll_s,
        reconnect_max_seconds=reconnect_max_seconds,
    )
