"""Serial framing: turn a byte stream ``[prefix][AIM id][data][suffix]`` into scans and rejected frames.

Pure code with no I/O: the caller feeds bytes with the monotonic time they arrived and polls when nothing
arrives. A partial frame that sits idle longer than `stale_seconds` is rejected, so noise never glues onto the
next scan; over-long frames, control bytes and undecodable bytes are rejected with a reason.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from app.domain.symbology import is_gs1_aim, split_aim, symbology_for_aim
from devices.scan import RejectedFrame, Scan

SUFFIXES: dict[str, bytes] = {
    "CR": b"\r",
    "LF": b"\n",
    "CRLF": b"\n",
    "TAB": b"\t",
    "ETX": b"\x03",
    "TIMEOUT": b"",
}
"""Suffix names a spec may use; CRLF frames end at LF and drop the CR; TIMEOUT frames end at a pause."""

AIM_MODES = ("auto", "off", "require")
STX = 0x02
# Control bytes that belong to barcode data: GS (GS1 separator), RS and EOT (ISO/IEC 15434 envelopes), FS.
_ALLOWED_CONTROLS = frozenset({0x04, 0x1C, 0x1D, 0x1E})


@dataclass(frozen=True, slots=True)
class FramingConfig:
    """How a scanner frames its data; the defaults suit a USB-CDC scanner with a CR suffix."""

    suffix: str = "CR"
    prefix: bytes = b""
    aim: str = "auto"
    max_frame_bytes: int = 512
    gap_seconds: float = 0.05
    stale_seconds: float = 0.5
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.suffix not in SUFFIXES:
            raise ValueError(f"suffix must be one of {', '.join(SUFFIXES)}, got {self.suffix!r}")
        if self.aim not in AIM_MODES:
            raise ValueError(f"aim must be one of {', '.join(AIM_MODES)}, got {self.aim!r}")
        if self.max_frame_bytes < 1:
            raise ValueError("max_frame_bytes must be at least 1")
        codecs.lookup(self.encoding)  # LookupError names an unknown encoding

    @property
    def idle_seconds(self) -> float:
        """How long a partial frame may wait for its next byte."""
        return self.gap_seconds if self.suffix == "TIMEOUT" else self.stale_seconds


FrameEvent = Scan | RejectedFrame


def decode_frame(frame: bytes, config: FramingConfig, *, source: str = "", now: float = 0.0) -> FrameEvent:
    """One complete frame (suffix removed) → a Scan, or a RejectedFrame that says what is wrong."""
    body = frame
    if config.prefix:
        if not body.startswith(config.prefix):
            return RejectedFrame(frame, f"does not start with the prefix {config.prefix!r}", source, now)
        body = body[len(config.prefix) :]
    if body[:1] == bytes([STX]):
        body = body[1:]
    bad = next((b for b in body if (b < 0x20 and b not in _ALLOWED_CONTROLS) or b == 0x7F), None)
    if bad is not None:
        return RejectedFrame(
            frame, f"control byte 0x{bad:02X} inside the frame (noise or wrong suffix?)", source, now
        )
    try:
        text = body.decode(config.encoding)
    except UnicodeDecodeError as exc:
        return RejectedFrame(
            frame, f"byte 0x{body[exc.start]:02X} at {exc.start} is not valid {config.encoding}", source, now
        )
    aim: str | None = None
    if config.aim != "off":
        aim, text = split_aim(text)
        if aim is None and config.aim == "require":
            return RejectedFrame(frame, "no AIM identifier (]Xm) at the start of the frame", source, now)
    if not text:
        return RejectedFrame(frame, "empty data after the prefix/AIM identifier", source, now)
    symbology = symbology_for_aim(aim, text).name if aim else None
    return Scan(text, body, symbology, aim, is_gs1_aim(aim), source, now)


@dataclass
class Framer:
    """Stateful framer for one byte stream: `feed` bytes as they arrive, `poll` when a read times out."""

    config: FramingConfig = field(default_factory=FramingConfig)
    source: str = ""
    _buf: bytearray = field(default_factory=bytearray)
    _last: float = 0.0
    _discarding: bool = False

    def feed(self, data: bytes, now: float) -> list[FrameEvent]:
        """Add bytes received at `now`; return the frames they complete, in order."""
        out = self.poll(now)
        terminator = SUFFIXES[self.config.suffix]
        for byte in data:
            if terminator and byte == terminator[0]:
                out.extend(self._end_frame(now))
                continue
            if not self._buf and not self._discarding and byte in b"\r\n":
                continue  # stray CR/LF of a CRLF scanner set up as CR or LF: not data, not noise
            if self._discarding:
                continue
            self._buf.append(byte)
            if len(self._buf) > self.config.max_frame_bytes:
                out.append(
                    self._reject(f"over-long frame: more than {self.config.max_frame_bytes} bytes", now)
                )
                self._discarding = True
        self._last = now
        return out

    def poll(self, now: float) -> list[FrameEvent]:
        """Close a partial frame that has been idle too long: a scan in TIMEOUT mode, else rejected noise."""
        if now - self._last < self.config.idle_seconds:
            return []
        if self._discarding:
            self._discarding = False
            return []
        if not self._buf:
            return []
        if self.config.suffix == "TIMEOUT":
            return self._end_frame(now)
        idle = f"{self.config.stale_seconds:g}"
        return [self._reject(f"incomplete frame: no {self.config.suffix} suffix within {idle} s", now)]

    def pending(self) -> bool:
        """True while a partial frame is buffered (a reader should keep polling)."""
        return bool(self._buf) or self._discarding

    def _end_frame(self, now: float) -> list[FrameEvent]:
        if self._discarding:
            self._discarding = False
            return []
        frame = bytes(self._buf)
        self._buf.clear()
        if self.config.suffix in ("CRLF", "LF") and frame.endswith(b"\r"):
            frame = frame[:-1]
        if self.config.suffix == "ETX" and frame in (b"", bytes([STX])):
            return []
        if not frame:
            return []
        return [decode_frame(frame, self.config, source=self.source, now=now)]

    def _reject(self, reason: str, now: float) -> RejectedFrame:
        frame = bytes(self._buf)
        self._buf.clear()
        return RejectedFrame(frame, reason, self.source, now)


def parse_bytes_option(value: str) -> bytes:
    """A prefix from a spec option: plain text, with ``\\xNN`` escapes for control bytes (``\\x02``)."""
    return value.encode("latin-1").decode("unicode_escape").encode("latin-1")
