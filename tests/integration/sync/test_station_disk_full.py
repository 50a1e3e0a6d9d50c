"""The station's disk fills up while the operator scans (docs/sync.md: disk full on the station, rule 1, I8).

SQLite is made to answer SQLITE_FULL with `PRAGMA max_page_count` on every pooled connection: the database
may not grow by a page, as on a full disk. Whether a scan still fits in a page that has room is up to
SQLite, so every scan is checked: it is shown as recorded exactly when its rows were committed, and a scan
that was not recorded says so (disk full, call a supervisor). Nothing recorded before is lost, the station
keeps answering, and once space is freed scanning works again and the outbox drains exactly once.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

from app.cli.simulation import invariants as inv
from app.cli.simulation.station_db import StationDb
from app.cli.station import HeadlessStation
from app.config import load_settings
from app.domain.work import Verdict
from devices.scan import Scan
from tests.integration.server.conftest import Server
from tests.integration.sync.conftest import Clock, order
from tests.support.station_rig import PICKER, RED_MUG, StationRig

BLUE_MUG = "4006381333948"  # a product that is not on the pick list: refused as the wrong item, recorded


class DiskSpace:
    """Caps the database at its current size on every connection taken from `engine`'s pool, until freed."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.pages = engine, 0
        event.listen(engine, "checkout", self._cap)

    def _cap(self, dbapi_conn: sqlite3.Connection, _record: object, _proxy: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {self.pages or 1_073_741_823}")

    def fill(self) -> None:
        with self.engine.connect() as conn:
            self.pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
            conn.rollback()

    def free(self) -> None:
        self.pages = 0


def _rows(db: Path) -> tuple[int, int]:
    """(scan records, outbox rows) committed in the station database."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("scans", "outbox"))  # type: ignore[return-value]


def _scan_checked(rig: StationRig, text: str) -> Verdict:
    """Scan, and check it was shown as recorded exactly when it was committed."""
    before = _rows(rig.db)
    verdict = rig.scan(text)
    if verdict.code == "disk_full":
        assert _rows(rig.db) == before, "a scan refused for a full disk left rows behind"
        assert not verdict.accepted and "disk is full" in verdict.message and "supervisor" in verdict.message
    else:
        assert _rows(rig.db) > before, f"{verdict.code} was shown but not recorded"
    return verdict


def _sync_while_full(rig: StationRig) -> None:
    try:
        rig.client.push_once()
        rig.client.pull_once()
    except OperationalError as exc:  # the sync worker notes it and retries in a second (local_trouble)
        assert "full" in str(exc)


def test_disk_full_scan_is_refused_and_nothing_recorded_is_lost(
    stocked: Server, clock: Clock, released: list[int], tmp_path: Path
) -> None:
    assert stocked.post("/operators", PICKER, role="supervisor").status_code == 201
    rig = StationRig(stocked, "DF1", tmp_path / "df1.db")
    rig.pull()
    assert rig.sign_in_and_claim().accepted
    assert all(rig.scan(x).accepted for x in ("T-0001", "A-01-02-1", RED_MUG))
    space = DiskSpace(rig.engine)
    space.fill()
    codes: list[str] = []
    for _ in range(300):
        codes.append(_scan_checked(rig, BLUE_MUG).code)
        _sync_while_full(rig)
        if codes.count("disk_full") >= 3:
            break
    assert codes.count("disk_full") >= 3, "the database never filled up"
    assert set(codes) == {"wrong_item", "disk_full"}
    view = rig.station.line_view()
    assert view is not None and view.taken == 1  # the pick made before the disk filled is still there

    space.free()
    assert [_scan_checked(rig, x).accepted for x in (RED_MUG, "CMD-DONE")] == [True, True]
    rig.sync()
    assert [li["picked"] for li in order(stocked, released[0])["lines"]] == [2]
    dbs = [StationDb(rig.db, "DF1")]
    assert [str(v) for v in inv.check_replicas(stocked.db, dbs)] == []  # every event once, unchanged
    assert [str(v) for v in inv.check_effects(stocked.db)] == []


def test_the_headless_station_prints_disk_full_and_keeps_scanning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "df2.db"
    runner = HeadlessStation.build(load_settings(), "picker", "DF2", db, server="", token="", sync=False)
    space = DiskSpace(runner.station.deps.uow.engine)  # type: ignore[attr-defined]
    space.fill()
    printed: list[dict[str, object]] = []
    for _ in range(300):
        before = _rows(db)
        runner.on_scan(Scan("OP-9999"))  # an unknown badge: refused, and recorded like every scan
        out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        assert len(out) == 1, out  # one answer, no claim attempted after it
        assert (out[0]["code"] == "disk_full") == (_rows(db) == before)
        printed += out
        if out[0]["code"] == "disk_full":
            break
    full = printed[-1]
    assert full["code"] == "disk_full" and full["verdict"] == "refused", printed[-1]
    assert "disk is full" in str(full["message"]) and "supervisor" in str(full["message"])
    space.free()
    runner.on_scan(Scan("OP-9999"))
    again = json.loads(capsys.readouterr().out)
    assert again["code"] == "unknown_badge" and _rows(db)[0] == len(printed)
