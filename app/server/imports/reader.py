"""Reading import files as (line number, record) pairs: CSV with a header row, a JSON array, or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and where."""


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, record) for every row or object in the file, in file order."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv(text)
    elif suffix in (".json", ".jsonl", ".ndjson"):
        yield from (_json_lines(text, path) if suffix != ".json" else _json_array(text, path))
    else:
        raise FileProblem(f"{path}: unknown file type {suffix or '(none)'}; use .csv, .json or .jsonl")


def _csv(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise FileProblem("line 1: the CSV file has no header row")
    for row in reader:
        if None in row:
            raise FileProblem(f"line {reader.line_num}: more values than header columns")
        if not any((v or "").strip() for v in row.values()):
            continue  # blank line
        yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_array(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise FileProblem(f"{path}: a JSON import file holds an array [ {{…}}, {{…}} ] of records")
    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FileProblem(f"line {_line_of(text, exc.pos)}: not valid JSON ({exc.msg})") from None
        yield _line_of(text, pos), _as_record(value, _line_of(text, pos))
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return
        raise FileProblem(f"line {_line_of(text, pos)}: expected ',' or ']' in the JSON array")


def _json_lines(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileProblem(f"line {n}: not valid JSON ({exc.msg})") from None
        yield n, _as_record(value, n)


def _as_record(value: Any, line: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FileProblem(f"line {line}: each record must be a JSON object {{…}}")
    return value


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
