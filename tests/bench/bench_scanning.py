"""Scanning figures: serial framing throughput, interpretation time per scan, pty scan latency."""

from __future__ import annotations

import os
import statistics
import time

from app.domain.catalogue import Barcode, Product
from app.domain.interpret import interpret
from app.domain.scanning import LabelRules
from devices.framing import Framer, FramingConfig
from devices.scan import Scan
from devices.serial_scanner import SerialScanner


class _Catalogue:
    def __init__(self) -> None:
        mug = Product("MUG", "Mug", (Barcode("4006381333931"),))
        self.products = {b.key: (mug, b.units) for b in mug.barcodes}

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        return self.products.get(key)

    def location_exists(self, code: str) -> bool:
        return True


def _framing() -> None:
    wire = b"]C10104006381333931\x1d10LOT7\x1d21SERIAL0001\r" * 20_000
    framer = Framer(FramingConfig())
    started = time.perf_counter()
    events = framer.feed(wire, 1.0)
    elapsed = time.perf_counter() - started
    per = elapsed / len(events) * 1e6
    print(f"framing: {len(events)} frames, {len(wire) / elapsed / 1e6:.1f} MB/s, {per:.1f} µs/frame")


def _interpret() -> None:
    catalogue, rules = _Catalogue(), LabelRules()
    for text, gs1 in (
        ("4006381333931", False),
        ("0104006381333931\x1d10LOT7\x1d17251231", True),
        ("A-03-02-1", False),
    ):
        n = 5000
        started = time.perf_counter()
        for _ in range(n):
            interpret(text, gs1=gs1, catalogue=catalogue, rules=rules)
        per = (time.perf_counter() - started) / n * 1e6
        print(
            f"interpret {text.replace(chr(29), '<GS>')[:40]:40} {per:7.1f} µs/scan (target: well under 1 ms)"
        )


def _pty_latency() -> None:
    master, slave = os.openpty()
    path = os.ttyname(slave)
    scanner = SerialScanner(path)
    scanner.read(1.0)  # connected
    latencies = []
    for i in range(50):
        sent = time.monotonic()
        os.write(master, f"SCAN-{i}\r".encode())
        event = None
        while not isinstance(event, Scan):
            event = scanner.read(1.0)
        latencies.append(time.monotonic() - sent)
    scanner.close()
    os.close(master)
    os.close(slave)
    ms = sorted(x * 1000 for x in latencies)
    print(f"pty write→Scan, one thread: median {statistics.median(ms):.2f} ms, max {ms[-1]:.2f} ms")


def run() -> None:
    """Print the figures."""
    _framing()
    _interpret()
    _pty_latency()
