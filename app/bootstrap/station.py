"""A station from settings: its SQLite store, the services, the sync client and its worker."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from app.bootstrap.config import label_rules, station_config
from app.cli import UserError
from app.config import Settings
from app.domain.scanning import LabelRules
from app.station.services.clock import SystemClock
from app.station.services.deps import StationConfig, StationDeps, domain_interpreter
from app.station.services.ports import Clock, UnitOfWorkFactory, WorkSource
from app.station.services.station import Station
from app.station.store.prune import SqlPruner
from app.station.store.sync_store import SqlSyncStore
from app.station.store.uow import SqlUnitOfWorkFactory
from app.station.store.upgrade import UpgradeFailed, open_and_upgrade
from sync.client import SyncClient
from sync.worker import SingleSender, SyncWorker

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True, slots=True)
class StationParts:
    """A built station: the services, and the sync worker (None when the station runs offline)."""

    station: Station
    worker: SyncWorker | None
    client: SyncClient


def build_station(
    settings: Settings, role: str, station_id: str, db: Path, *, server: str, token: str, sync: bool
) -> StationParts:
    """A `role` station `station_id` on the database `db` (upgraded first), syncing with `server` if `sync`.

    Raises UserError for a wrong [station] setting or a database that cannot be upgraded (the message says
    what to do). The worker is built, not started: the caller starts it when it is ready to sync.
    """
    config = station_config(settings, role, station_id)  # a wrong setting stops before the database opens
    rules = label_rules(settings)
    try:
        engine = open_and_upgrade(db)
    except UpgradeFailed as exc:
        raise UserError(str(exc)) from None
    clock = SystemClock()
    client = SyncClient(
        lambda: http_client(server, token),  # made on first use: httpx loads after the screen shows
        SqlSyncStore(engine),
        clock,
        station_id=station_id,
        app_version=app_version(),
        margin_s=settings.station.lease_margin_seconds,
    )
    pruner = SqlPruner(engine, settings.station.outbox_retention_hours * 3600)
    worker = (
        SyncWorker(
            client,
            settings.station.sync_interval_seconds,
            SingleSender(db),
            housekeeping=lambda: pruner.run(clock.wall()).more,  # the station's clock, as acks are stamped
        )
        if sync
        else None
    )
    station = assemble_station(SqlUnitOfWorkFactory(engine), clock, rules, config, client if sync else None)
    return StationParts(station, worker, client)


def assemble_station(
    uow: UnitOfWorkFactory,
    clock: Clock,
    rules: LabelRules,
    config: StationConfig,
    work_source: WorkSource | None = None,
) -> Station:
    """The station services on given adapters (production's, or a test rig's fakes and clocks)."""
    return Station(StationDeps(uow, clock, domain_interpreter(rules), config, work_source))


def http_client(server: str, token: str) -> httpx.Client:
    """The sync client's connection to the server (an httpx.Client with the station's bearer token)."""
    import httpx  # lazy: ~100 ms of imports, paid on the first sync, after the screen shows

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server, headers=headers, timeout=httpx.Timeout(5.0, connect=2.0))


def app_version() -> str:
    """The installed package's version, which the station reports when it registers."""
    try:
        return version("aisle")
    except PackageNotFoundError:
        return "0.0.0"


def settle_heap() -> None:
    """After start-up, move every live object out of the collector's reach (gc.freeze).

    Full collections over the start-up heap (SQLAlchemy, pydantic, the catalogue) otherwise pause a scan for
    30-50 ms now and then; frozen, the scan-to-verdict p99 stays within a few milliseconds (tests/bench).
    """
    gc.collect()
    gc.freeze()
