"""A folder as a printer (``file:///var/aisle/labels``), for demos and for shops that collect jobs elsewhere.

Each job becomes the next numbered file, ``job-000001.zpl`` (``.pdf`` for a PDF, ``.prn`` otherwise), written
to a hidden temporary file, flushed to disk and then linked under its number, so a reader never sees half a
job and two writers never take the same number.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from devices.printers.base import PrinterStatus, PrinterUnavailable

NUMBERED = re.compile(r"^job-(\d{6,})\.\w+$")


class FolderPrinter:
    """Writes each job as a numbered file in `folder` (which must exist)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.spec = f"file://{folder}"

    def send(self, job: bytes) -> None:
        """Write `job` as the next numbered file; PrinterUnavailable if the folder is missing or read-only."""
        if not self.folder.is_dir():
            raise PrinterUnavailable(f"no folder {self.folder}", "create it or fix [station] label_printer")
        tmp = self.folder / f".job-{os.getpid()}-{id(job)}.tmp"
        try:
            with open(tmp, "wb") as out:
                out.write(job)
                out.flush()
                os.fsync(out.fileno())
            number = self.last_number() + 1
            while True:
                try:
                    os.link(tmp, self.folder / f"job-{number:06d}{extension(job)}")
                    break
                except FileExistsError:  # another writer took this number
                    number += 1
        except OSError as exc:
            raise PrinterUnavailable(f"cannot write to {self.folder} ({exc})", "check the folder") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def last_number(self) -> int:
        """The highest job number in the folder, 0 when it holds none."""
        found = (NUMBERED.match(p.name) for p in self.folder.iterdir())
        return max((int(m.group(1)) for m in found if m), default=0)

    def status(self) -> PrinterStatus:
        """Reachable when the folder exists and is writable; a folder has no paper or head."""
        if not self.folder.is_dir():
            return PrinterStatus(reachable=False, detail=f"no folder {self.folder}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(reachable=False, detail=f"folder {self.folder} is not writable")
        return PrinterStatus(reachable=True, paper_out=False, head_open=False, paused=False, detail="ready")

    def close(self) -> None:
        """Nothing held."""


def extension(job: bytes) -> str:
    """The file extension for a job: .pdf, .zpl or .prn."""
    if job.startswith(b"%PDF-"):
        return ".pdf"
    if b"^XA" in job[:256]:
        return ".zpl"
    return ".prn"
