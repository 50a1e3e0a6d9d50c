"""A scripted scanner: scans read from a text file, for demos, tests and load simulation.

One scan per line. Blank lines and lines starting with ``#`` are skipped; ``sleep 0.5`` pauses; ``<GS>`` or
``\\x1d`` stand for the GS separator (any ``\\xNN`` escape works); a leading AIM identifier (``]C1…``)
sets the symbology and GS1 flag. Options: ``delay`` (seconds before each scan), ``loop``
(1 = start again at the end).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from app.domain.symbology import is_gs1_aim, split_aim, symbology_for_aim
from devices.scan import GS, Scan, ScannerEvent, ScannerStatus
from devices.spec import ScannerSpecError, check_known, option_float, split_query

_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})")
_SLEEP = re.compile(r"sleep\s+(\d+(?:\.\d*)?|\.\d+)\s*")


@dataclass(frozen=True, slots=True)
class ScriptStep:
    """A line of a script: a scan's text, or a pause in seconds."""

    text: str = ""
    pause: float = 0.0


def parse_script(content: str) -> list[ScriptStep]:
    """The steps of a script file (see module docstring); raises ValueError naming a bad line."""
    steps: list[ScriptStep] = []
    for number, line in enumerate(content.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("sleep"):
            match = _SLEEP.fullmatch(stripped)
            if not match:
                raise ValueError(f"line {number}: expected 'sleep SECONDS', got {stripped!r}")
            steps.append(ScriptStep(pause=float(match.group(1))))
            continue
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), stripped.replace("<GS>", GS))
        steps.append(ScriptStep(text=text))
    return steps


class ScriptScanner:
    """Replays a script's scans in order (source ``script:PATH``); `exhausted` once the last one is read."""

    def __init__(self, path: Path, *, delay: float = 0.0, loop: bool = False) -> None:
        self.path = path
        self.source = f"script:{path}"
        self.delay = delay
        self.loop = loop
        try:
            self._steps = parse_script(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ScannerSpecError(f"cannot read the script {path}: {exc}") from None
        except ValueError as exc:
            raise ScannerSpecError(f"script {path}, {exc}") from None
        if loop and not any(s.text for s in self._steps):
            raise ScannerSpecError(f"script {path} has no scans to loop over")
        self._index = 0
        self._due = time.monotonic()
        self._started = False
        self._closed = threading.Event()

    @classmethod
    def from_spec(cls, target: str) -> ScriptScanner:
        """Build from the part after ``script:``, e.g. ``demo/scans.txt?delay=0.5&loop=1``."""
        path, options = split_query(target)
        if not path:
            raise ScannerSpecError("script: needs the path of a scans file")
        check_known(options, {"delay", "loop"}, "script")
        loop = options.get("loop", "0").lower()
        if loop not in ("0", "1", "true", "false", "yes", "no"):
            raise ScannerSpecError(f"option loop={loop!r} must be 1 or 0")
        return cls(Path(path), delay=option_float(options, "delay", 0.0), loop=loop in ("1", "true", "yes"))

    @property
    def exhausted(self) -> bool:
        """True when every scan has been read and the script does not loop."""
        return self._started and not self.loop and self._index >= len(self._steps)

    def read(self, timeout: float) -> ScannerEvent | None:
        """The next scripted scan once its time has come, waiting at most `timeout` seconds."""
        if not self._started:
            self._started = True
            self._due = time.monotonic() + self.delay
            return ScannerStatus("connected", self.source, f"{sum(1 for s in self._steps if s.text)} scans")
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self._closed.is_set():
            step = self._current()
            if step is None:
                self._closed.wait(max(deadline - time.monotonic(), 0.0))
                return None
            now = time.monotonic()
            if now < self._due:
                if now >= deadline:
                    return None
                self._closed.wait(min(self._due, deadline) - now)
                continue
            self._index += 1
            if step.pause:
                self._due = now + step.pause
                continue
            self._due = now + self.delay
            aim, text = split_aim(step.text)
            symbology = symbology_for_aim(aim, text).name if aim else None
            return Scan(text, text.encode("utf-8"), symbology, aim, is_gs1_aim(aim), self.source, now)
        return None

    def close(self) -> None:
        """Stop replaying."""
        self._closed.set()

    def _current(self) -> ScriptStep | None:
        if self._index >= len(self._steps):
            if not self.loop:
                return None
            self._index = 0
        return self._steps[self._index]
