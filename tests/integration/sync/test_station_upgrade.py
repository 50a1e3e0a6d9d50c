"""App upgrade with a non-empty queue (docs/sync.md station rule 7): the new app migrates the station
database at start-up in one transaction; the outbox is never dropped or rewritten, and drains once, unchanged.

The database is built by the real migration chain at an older revision, and its queue is written with the
columns that revision has (as the app of that time wrote it). The upgrades tested are every real older
revision to the app's head, and the head to a test-only next revision that rebuilds the outbox table (an
SQLite table copy, the riskiest kind of change) — so the test has an upgrade to run even while the app has
one revision. A next revision that fails halfway must leave the file as it was, and the station says what
to do.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from app.cli import UserError
from app.cli.simulation import invariants as inv
from app.cli.simulation.station_db import StationDb
from app.cli.station import HeadlessStation
from app.config import load_settings
from app.server.stations.models import SyncEvent
from app.station.store import db as station_db
from sync.schemas import event_sha256
from tests.integration.server.conftest import Server
from tests.support.station_rig import StationRig

HEAD = station_db.SCHEMA_HEAD
OLDER = [r.revision for r in ScriptDirectory.from_config(station_db.alembic_config()).walk_revisions()][1:]
OUTBOX_V1 = (
    "seq, event_id, type, v, lease_line_id, lease_token, payload, created_wall, sha256, acked, acked_at, "
)
OUTBOX_V1 += "outcome, outcome_reason"  # the outbox columns since revision 0001

NEXT = '''"""Test only: one revision past the app's head that adds an outbox column, rebuilding the table."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_marker", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("outbox", recreate="always") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=True))
    {fail}


def downgrade() -> None:
    raise NotImplementedError
'''

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the server only receives


def _next_revision(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, fail: bool) -> None:
    """Make the app's migrations the real ones plus NEXT, and NEXT its head."""
    scripts = tmp / "migrations"
    shutil.copytree(station_db.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    body = 'raise RuntimeError("simulated failure halfway through the migration")' if fail else "pass"
    (scripts / "versions" / "9999_test_next.py").write_text(NEXT.format(head=HEAD, fail=body))
    monkeypatch.setattr(station_db, "MIGRATIONS", scripts)
    monkeypatch.setattr(station_db, "SCHEMA_HEAD", "9999")


def _old_database_with_queue(path: Path, revision: str) -> dict[int, str]:
    """A station database at `revision` (built by the real chain) with 5 unsent events; {seq: sha256}."""
    engine = station_db.create_station_engine(path)
    with engine.begin() as conn:
        cfg = station_db.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    queued = {}
    with engine.begin() as conn:
        for n in range(1, 6):
            payload = {"code": "wrong_item", "message": f"Größe ✓ scan {n}", "scan": f"T-{n:04d}"}
            event_id, wall = str(uuid.uuid4()), 1_780_000_000.0 + n / 7
            queued[n] = event_sha256(event_id, "ScanRefused", 1, None, payload, wall)
            stored = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            values = (n, event_id, "ScanRefused", 1, None, None, stored, wall, queued[n], 0, None, None, None)
            conn.exec_driver_sql(f"INSERT INTO outbox ({OUTBOX_V1}) VALUES ({', '.join('?' * 13)})", values)
        conn.execute(text("UPDATE replica SET next_seq = 6"))
    engine.dispose()
    return queued


def _outbox(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(f"SELECT {OUTBOX_V1} FROM outbox ORDER BY seq").fetchall()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _drained_once(server: Server, rig: StationRig, queued: dict[int, str]) -> None:
    rig.push()
    with server.db.session_scope() as s:
        rows = s.execute(
            select(SyncEvent.seq, SyncEvent.sha256).where(SyncEvent.replica_id == rig.store.replica_id())
        )
        assert dict(rows.tuples().all()) == queued  # every event once, with its digest: content unchanged
    assert [str(v) for v in inv.check_replicas(server.db, [StationDb(rig.db, rig.station_id)])] == []


@pytest.mark.parametrize("start", [*OLDER, f"{HEAD}+next"])
def test_an_upgrade_migrates_a_queued_outbox_in_place_and_every_event_drains_once_unchanged(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    db = tmp_path / "up.db"
    queued = _old_database_with_queue(db, start.removesuffix("+next"))
    replica, before = StationDb(db).replica_id(), _outbox(db)
    if start.endswith("+next"):
        _next_revision(tmp_path, monkeypatch, fail=False)
    rig = StationRig(server, "UP1", db)  # the new app starts on it: open_station_db migrates
    assert station_db.schema_version(db) == station_db.SCHEMA_HEAD
    assert (StationDb(db).replica_id(), _outbox(db)) == (replica, before)  # not rewritten, not re-keyed
    _drained_once(server, rig, queued)


def test_a_migration_failing_halfway_leaves_the_old_revision_and_the_queue_and_says_what_to_do(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "up.db"
    queued = _old_database_with_queue(db, HEAD)
    before, tables = _outbox(db), _tables(db)
    _next_revision(tmp_path, monkeypatch, fail=True)
    with pytest.raises(UserError) as told:
        HeadlessStation.build(load_settings(), "picker", "UP2", db, server="", token="", sync=False)
    message = str(told.value)
    assert f"still at revision {HEAD}" in message and "5 unsent" in message
    assert "Do not delete" in message and "previous version" in message
    assert station_db.schema_version(db) == HEAD
    assert (_outbox(db), _tables(db)) == (before, tables)  # no new table, no half-copied outbox

    monkeypatch.undo()  # the previous app version still runs on the file and sends the queue
    _drained_once(server, StationRig(server, "UP2", db), queued)
