"""A folder as a printer: numbered job files, whole or absent, never two jobs under one number."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from devices.printers import PrinterUnavailable, open_printer


def test_jobs_become_numbered_files_with_their_exact_bytes(tmp_path: Path) -> None:
    printer = open_printer(f"file://{tmp_path}")
    printer.send(b"^XA^FDone^FS^XZ")
    printer.send(b"%PDF-1.4 two")
    printer.send(b"\x1b@three")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "job-000001.zpl",
        "job-000002.pdf",
        "job-000003.prn",
    ]
    assert (tmp_path / "job-000002.pdf").read_bytes() == b"%PDF-1.4 two"
    assert printer.status().ready and printer.status().known


def test_concurrent_writers_never_share_a_number(tmp_path: Path) -> None:
    jobs = [f"^XA^FD{i}^FS^XZ".encode() for i in range(40)]
    threads = [threading.Thread(target=open_printer(f"file://{tmp_path}").send, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    files = sorted(tmp_path.iterdir())
    assert [p.name for p in files] == [f"job-{n:06d}.zpl" for n in range(1, 41)]
    assert sorted(p.read_bytes() for p in files) == sorted(jobs)


def test_a_missing_folder_is_unavailable(tmp_path: Path) -> None:
    printer = open_printer(f"file://{tmp_path}/absent")
    assert not printer.status().reachable
    with pytest.raises(PrinterUnavailable):
        printer.send(b"^XA^XZ")
