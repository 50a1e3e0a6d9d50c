"""Scanner spec strings (``serial:/dev/ttyACM0?baudrate=9600&suffix=CR``): the error and option parsing."""

from __future__ import annotations

from urllib.parse import parse_qsl

VALID_SPECS = (
    "a valid scanner spec is one of: keyboard | serial:/dev/ttyACM0?baudrate=9600&suffix=CR "
    "(or any pyserial URL: serial:loop://, serial:socket://host:port, serial:rfc2217://host:port) | "
    "camera:0 | camera:/path/video.mp4 | camera:rtsp://host/stream | script:/path/scans.txt?delay=0.5"
)


class ScannerSpecError(ValueError):
    """A scanner spec that cannot be understood; the message says what a valid spec looks like."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; {VALID_SPECS}")
        self.problem = problem


def split_query(target: str) -> tuple[str, dict[str, str]]:
    """Split ``path?key=value&…`` into the path and its options (last value of a repeated key wins)."""
    path, sep, query = target.partition("?")
    if not sep:
        return path, {}
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs and query:
        raise ScannerSpecError(f"cannot read the options {query!r} (expected key=value&key=value)")
    return path, dict(pairs)


def option_float(options: dict[str, str], key: str, default: float, *, minimum: float = 0.0) -> float:
    """A number option, or ScannerSpecError naming it."""
    raw = options.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ScannerSpecError(f"option {key}={raw!r} is not a number") from None
    if value < minimum:
        raise ScannerSpecError(f"option {key}={raw} must be at least {minimum:g}")
    return value


def option_int(options: dict[str, str], key: str, default: int, *, minimum: int = 1) -> int:
    """A whole-number option, or ScannerSpecError naming it."""
    raw = options.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise ScannerSpecError(f"option {key}={raw!r} must be a whole number of at least {minimum}")
    return int(raw)


def check_known(options: dict[str, str], known: set[str], kind: str) -> None:
    """ScannerSpecError when `options` has a key outside `known`."""
    unknown = sorted(set(options) - known)
    if unknown:
        raise ScannerSpecError(
            f"unknown {kind} option {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
