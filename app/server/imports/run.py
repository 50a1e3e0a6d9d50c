"""Running an import: read, validate every record, then apply in one transaction (all or nothing, unless
bad rows may be skipped). Every problem is reported with the line it comes from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.server.catalogue.upserts import upsert_locations, upsert_products
from app.server.db.database import Database
from app.server.errors import ApiError, describe_validation
from app.server.imports.kinds import KINDS, MODELS, from_csv
from app.server.imports.reader import FileProblem, read_records
from app.server.orders.intake import take_order
from app.server.stock import moves as stock_service


@dataclass
class ImportReport:
    """What an import did: records imported, records skipped, and every problem with its line."""

    kind: str
    total: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    committed: bool = False


class _Abort(Exception):
    """Roll the whole import back (errors found and bad rows may not be skipped)."""


def _parse(kind: str, path: Path, report: ImportReport) -> list[tuple[int, BaseModel]]:
    records = list(read_records(path))
    if path.suffix.lower() == ".csv":
        records = from_csv(kind, records)
    report.total = len(records)
    model = MODELS[kind]
    parsed: list[tuple[int, BaseModel]] = []
    for line, record in records:
        try:
            item = model.model_validate(record)
            if kind in ("products", "locations"):
                item.to_domain()  # type: ignore[attr-defined]  # GTIN check digits, empty codes
            parsed.append((line, item))
        except ValidationError as exc:
            report.errors.append(f"line {line}: {describe_validation(list(exc.errors()))}")
        except DomainError as exc:
            report.errors.append(f"line {line}: {exc.message}")
    key = {"products": "sku", "locations": "code"}.get(kind)
    if key:
        first: dict[str, int] = {}
        for line, item in parsed:
            value = getattr(item, key)
            if value in first:
                report.errors.append(f"line {line}: {key} {value} already appears on line {first[value]}")
            first.setdefault(value, line)
    return parsed


def _apply_one(kind: str, session: Session, item: Any, actor: str) -> None:
    if kind == "products":
        upsert_products(session, [item.to_domain()])
    elif kind == "locations":
        upsert_locations(session, [item.to_domain()])
    elif kind == "stock":
        stock_service.receive(session, **item.model_dump(), actor=actor)
    else:
        take_order(session, item.to_domain(), actor=actor)


def _apply_bulk(kind: str, session: Session, items: list[Any]) -> bool:
    """Products and locations go in one statement batch when possible; False means: go row by row."""
    if kind not in ("products", "locations"):
        return False
    try:
        with session.begin_nested():
            if kind == "products":
                upsert_products(session, [i.to_domain() for i in items])
            else:
                upsert_locations(session, [i.to_domain() for i in items])
        return True
    except ApiError:
        return False


def import_file(
    db: Database,
    kind: str,
    path: Path,
    *,
    skip_bad_rows: bool = False,
    actor: str = "import",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import `path` as `kind`. With errors and no `skip_bad_rows`, nothing is imported."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    report = ImportReport(kind)
    try:
        parsed = _parse(kind, path, report)
    except FileProblem as exc:
        report.errors.append(str(exc))
        return report
    bad_lines = {int(e.split(":")[0].removeprefix("line ")) for e in report.errors if e.startswith("line ")}
    good = [(line, item) for line, item in parsed if line not in bad_lines]
    try:  # with bad rows, the good ones are still tried (then rolled back) so every problem is reported
        with db.session_scope(write=True) as session:
            if good and not report.errors and _apply_bulk(kind, session, [i for _, i in good]):
                report.imported = len(good)
            else:
                for n, (line, item) in enumerate(good, 1):
                    try:
                        with session.begin_nested():
                            _apply_one(kind, session, item, actor)
                        report.imported += 1
                    except (ApiError, DomainError) as exc:
                        report.errors.append(f"line {line}: {exc.message}")
                    if progress and n % 500 == 0:
                        progress(n)
            if report.errors and not skip_bad_rows:
                raise _Abort
    except _Abort:
        report.imported = 0
        return report
    report.skipped = report.total - report.imported
    report.committed = True
    return report
