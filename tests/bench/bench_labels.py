"""Label bench: time to make one parcel label as PDF (issue 13 target: <= 50 ms) and as ZPL, each beside a
limit measured in the same run: writing the same bytes to a file (open, write, close), what any label costs on
its way to a printer or a folder, whatever renders it.

Run: ``.venv/bin/python -m tests.bench labels``. The first call of each renderer (imports, template compile)
is timed apart: the station does it at start-up, not at the seal.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.labels import ZplRenderer, render_pdf, sample_label

ROUNDS = 200
TARGET_PDF_MS = 50.0


def _times(make: Callable[[int], bytes], rounds: int) -> list[float]:
    out = []
    for i in range(rounds):
        started = time.perf_counter()
        make(i)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def _line(name: str, values: list[float], extra: str = "") -> None:
    median, p99 = statistics.median(values), _p(values, 0.99)
    print(f"{name:<34} median {median:7.3f} ms  p99 {p99:7.3f} ms  {extra}".rstrip())


def run() -> None:
    """Print the figures; raise AssertionError when the PDF label's p99 misses its target."""
    base = sample_label()
    labels = [dataclasses.replace(base, parcel_number=1 + i % 3, weight_g=500 + i) for i in range(ROUNDS)]
    started = time.perf_counter()
    first_pdf = render_pdf(base)
    first_pdf_ms = (time.perf_counter() - started) * 1000
    zpl = ZplRenderer()
    started = time.perf_counter()
    first_zpl = zpl.render(base)
    first_zpl_ms = (time.perf_counter() - started) * 1000
    zpl300 = ZplRenderer(dpi=300)
    zpl300.render(base)
    pdf_ms = _times(lambda i: render_pdf(labels[i]), ROUNDS)
    zpl_ms = _times(lambda i: zpl.render(labels[i]), ROUNDS)
    zpl300_ms = _times(lambda i: zpl300.render(labels[i]), ROUNDS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_pdf = _times(lambda i: _write(folder / f"p{i}.pdf", first_pdf), ROUNDS)
        write_zpl = _times(lambda i: _write(folder / f"z{i}.zpl", first_zpl), ROUNDS)
    print(f"first PDF label {first_pdf_ms:.1f} ms, first ZPL label {first_zpl_ms:.1f} ms (imports, template)")
    print(f"{ROUNDS} labels each; PDF {len(first_pdf)} bytes, ZPL {len(first_zpl)} bytes")
    ok = _p(pdf_ms, 0.99) <= TARGET_PDF_MS
    _line(
        "PDF label (reportlab)", pdf_ms, f"target p99 <= {TARGET_PDF_MS:.0f} ms: {'ok' if ok else 'MISSED'}"
    )
    _line("  limit: write the PDF to a file", write_pdf)
    _line("ZPL label, 203 dpi (Jinja2)", zpl_ms)
    _line("ZPL label, 300 dpi (Jinja2)", zpl300_ms)
    _line("  limit: write the ZPL to a file", write_zpl)
    assert ok, f"PDF label p99 {_p(pdf_ms, 0.99):.1f} ms > {TARGET_PDF_MS} ms"


def _write(path: Path, data: bytes) -> bytes:
    with path.open("wb") as f:
        f.write(data)
    return data


if __name__ == "__main__":
    run()
