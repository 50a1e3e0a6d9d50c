"""The SQLite unit of work: one BEGIN IMMEDIATE transaction holding every repository of the station.

A write the disk has no room for (SQLITE_FULL) rolls the whole unit back and comes out as StorageFull, so the
services can tell the operator what happened and what to do instead of failing with a database error.

A read-only unit of work (`factory.read_only()`) begins deferred and never commits: in WAL mode it reads one
consistent snapshot without taking the write lock, so views and status reads never make a scan wait.
"""

from __future__ import annotations

import sqlite3
import time
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from app.station.services.ports import StorageFull
from app.station.store.catalogue import SqlCatalogue, SqlOperators
from app.station.store.db import current_boot_id, read_connection
from app.station.store.records import SqlOutbox, SqlScanLog, SqlSession
from app.station.store.work_repo import SqlPackRepository, SqlWorkRepository


class SqlUnitOfWork:
    """State, scan row and outbox rows commit together; leaving without `commit` rolls everything back."""

    conn: Connection
    work: SqlWorkRepository
    packs: SqlPackRepository
    catalogue: SqlCatalogue
    operators: SqlOperators
    scans: SqlScanLog
    outbox: SqlOutbox
    session: SqlSession

    def __init__(self, engine: Engine, boot_id: str, *, read_only: bool = False) -> None:
        self.engine, self.boot_id, self.read_only = engine, boot_id, read_only

    def __enter__(self) -> Self:
        self.conn = read_connection(self.engine) if self.read_only else self.engine.connect()
        self.tx = self.conn.begin()
        self.work = SqlWorkRepository(self.conn, self.boot_id, time.time())
        self.packs = SqlPackRepository(self.conn)
        self.catalogue = SqlCatalogue(self.conn)
        self.operators = SqlOperators(self.conn)
        self.scans = SqlScanLog(self.conn)
        self.outbox = SqlOutbox(self.conn)
        self.session = SqlSession(self.conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.tx.is_active:
                self.tx.rollback()
        finally:
            self.conn.close()
        if exc is not None and disk_full(exc):
            raise StorageFull("the station's disk is full: nothing was recorded") from exc

    def commit(self) -> None:
        """COMMIT with synchronous=FULL: when this returns, the change survives a power cut."""
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit: open deps.uow() to write")
        self.tx.commit()

    def rollback(self) -> None:
        self.tx.rollback()


def disk_full(exc: BaseException) -> bool:
    """True when SQLite said SQLITE_FULL: the database file (or the disk it is on) cannot grow."""
    orig = getattr(exc, "orig", exc)  # SQLAlchemy wraps the sqlite3 error
    return isinstance(orig, sqlite3.Error) and getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


class SqlUnitOfWorkFactory:
    """Makes units of work on one engine; the boot id is read once per process."""

    def __init__(self, engine: Engine, boot_id: str | None = None) -> None:
        self.engine = engine
        self.boot_id = boot_id or current_boot_id()

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.boot_id)

    def read_only(self) -> SqlUnitOfWork:
        """A unit of work for reading only (deferred BEGIN, rolled back at the end)."""
        return SqlUnitOfWork(self.engine, self.boot_id, read_only=True)
