"""The station database on a real SQLite file: durability, replica id, atomic scans, resume after restart."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.station.services.commands import ClaimWork
from app.station.services.ports import ClaimedWork
from app.station.store import tables as t
from app.station.store.db import SCHEMA_HEAD, alembic_config, open_station_db, replica_id, schema_version
from app.station.store.records import SqlOutbox
from app.station.store.uow import SqlUnitOfWorkFactory
from tests.unit.station.conftest import RED, TEA, Rig, gtin, make_rig, single_order_work

ROOT = Path(__file__).resolve().parents[3]


def sqlite_picker(path: Path, boot_id: str = "boot-1") -> Rig:
    """A signed-in picker on the SQLite file `path` with order 1001 claimed (or resumed)."""
    rig = make_rig("picker", SqlUnitOfWorkFactory(open_station_db(path), boot_id))
    rig.source.pick_queue.append(ClaimedWork(single_order_work()))
    rig.scan("OP-1001")
    rig.station.handle(ClaimWork())
    return rig


def counts(path: Path) -> tuple[int, int]:
    with open_station_db(path).connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(t.scans)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.outbox)).scalar_one(),
        )


def test_every_connection_uses_wal_and_synchronous_full(tmp_path: Path) -> None:
    engine = open_station_db(tmp_path / "st.db")
    conns = [engine.connect() for _ in range(3)]  # several pooled connections, each set up on connect
    for conn in conns:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        conn.close()


def test_replica_id_is_created_once_with_the_database_file(tmp_path: Path) -> None:
    first = replica_id(open_station_db(tmp_path / "st.db"))
    assert replica_id(open_station_db(tmp_path / "st.db")) == first  # reopening keeps it
    assert replica_id(open_station_db(tmp_path / "other.db")) != first  # a new file gets a new one


def test_schema_head_is_alembics_head_so_an_up_to_date_file_skips_migrations(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [SCHEMA_HEAD]
    assert schema_version(tmp_path / "st.db") is None  # no file: migrate
    open_station_db(tmp_path / "st.db")
    assert schema_version(tmp_path / "st.db") == SCHEMA_HEAD


def test_reopening_a_database_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    open_station_db(tmp_path / "st.db")
    code = (
        "import sys; from app.station.store.db import open_station_db; "
        f"open_station_db({str(tmp_path / 'st.db')!r}); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_a_failure_while_writing_the_outbox_leaves_nothing_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = sqlite_picker(tmp_path / "st.db")
    rig.scan("T-0001")
    before = counts(tmp_path / "st.db")

    def broken(self: SqlOutbox, entry: object) -> int:
        raise OSError("disk full (injected)")

    monkeypatch.setattr(SqlOutbox, "append", broken)
    with pytest.raises(OSError):
        rig.scan("A-01-01-1")
    monkeypatch.undo()
    assert counts(tmp_path / "st.db") == before
    view = rig.station.line_view()
    assert view is not None and view.expect.kind.value == "location"  # the location is still not confirmed


def test_a_process_killed_between_state_and_outbox_leaves_nothing_partial(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    rig = sqlite_picker(db)
    rig.scan("T-0001")
    child = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from app.station.store.records import SqlOutbox
        from tests.integration.station.test_station_db import counts, sqlite_picker
        rig = sqlite_picker(Path({str(db)!r}))
        print(*counts(Path({str(db)!r})), flush=True)
        SqlOutbox.append = lambda self, entry: os._exit(9)  # die after state and scan row were written
        rig.scan("A-01-01-1")
    """)
    proc = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == 9, proc.stderr.decode()
    before = tuple(int(n) for n in proc.stdout.split())
    assert counts(db) == before
    resumed = sqlite_picker(db)
    assert resumed.station.line_view().expect.location == "A-01-01-1"  # type: ignore[union-attr]


def test_a_restart_resumes_at_the_same_line_with_the_same_count(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    rig = sqlite_picker(db)
    rig.scans("T-0001", "A-01-01-1", gtin(TEA), "A-03-02-1", gtin(RED))
    rig.station.deps.uow.engine.dispose()  # type: ignore[attr-defined]
    after = sqlite_picker(db)  # a new process would do exactly this
    view = after.station.line_view()
    assert view is not None and (view.location, view.sku, view.taken, view.qty) == (
        "A-03-02-1",
        "MUG-RED",
        1,
        2,
    )
    assert after.scan(gtin(RED)).code == "line_done"
    with open_station_db(db).connect() as conn:
        seqs = conn.execute(select(t.outbox.c.seq).order_by(t.outbox.c.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_after_a_reboot_leases_count_as_expired_until_renewed(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    sqlite_picker(db).scans("T-0001", "A-01-01-1")
    rebooted = sqlite_picker(db, boot_id="boot-2")
    v = rebooted.scan(gtin(TEA))
    assert not v.accepted and v.code == "lease_expired"
