"""Ports: what the station services need from the outside world, as Protocols.

The SQLite store (app.station.store), the sync client (sync.client) and the test fakes (tests.support.fakes)
implement them; services never import an adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any, Protocol, Self

from app.domain.catalogue import Location, Product
from app.domain.packing import PackOrder
from app.domain.scanning import CatalogueLookup
from app.domain.work import WorkUnit


class Offline(Exception):
    """The server cannot be reached (or failed for an infrastructure reason); the message says why."""


class StorageFull(Exception):
    """The station database cannot grow (the disk is full): the command was rolled back, nothing recorded."""


@dataclass(frozen=True, slots=True)
class Operator:
    """A person who may sign in at a station: badge, name, roles, and a PIN hash for supervisor overrides."""

    badge: str
    name: str
    roles: tuple[str, ...] = ("picker",)
    pin_hash: str = ""


@dataclass(frozen=True, slots=True)
class ReferenceState:
    """Whether the station has its badges and catalogue yet: `loaded` once a pull was applied; until then
    `trying_since` is when it first tried to pull (None: it has not tried)."""

    loaded: bool
    trying_since: float | None = None


@dataclass(slots=True)
class StationSession:
    """Who is signed in and what they are working on; persisted so a restart resumes at the same line."""

    operator: str | None = None
    operator_name: str | None = None
    role: str | None = None
    work_id: str | None = None
    pack_order_id: str | None = None


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """One scan or key action, accepted or refused, as the station recorded it."""

    scan_id: str
    station_id: str
    operator: str | None
    text: str
    source: str
    outcome: str
    code: str
    message: str
    wall: float
    boot: float
    aim: str | None = None
    work_id: str | None = None
    line_id: str | None = None
    order_id: str | None = None
    lease_token: int | None = None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """An event to append to the outbox; the store assigns `seq` in the same transaction."""

    event_id: str
    type: str
    v: int
    payload: dict[str, Any]
    created_wall: float
    lease: tuple[str, int] | None = None  # (line_id, token)


@dataclass(frozen=True, slots=True)
class ClaimedWork:
    """Work the server granted this station: the unit, plus the catalogue slice and locations it needs."""

    unit: WorkUnit
    products: list[Product] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)


class Catalogue(CatalogueLookup, Protocol):
    """The station's catalogue slice: interpretation's lookup plus what the services add to it."""

    def product(self, sku: str) -> Product | None:
        """The product with this SKU and all its barcodes, or None."""
        ...

    def upsert_products(self, products: list[Product]) -> None: ...

    def upsert_locations(self, locations: list[Location]) -> None: ...


class WorkRepository(Protocol):
    def get(self, work_id: str) -> WorkUnit | None: ...

    def active(self) -> WorkUnit | None:
        """The oldest work unit that is not closed, or None."""
        ...

    def add(self, unit: WorkUnit) -> None: ...

    def save(self, unit: WorkUnit) -> None: ...


class PackRepository(Protocol):
    def get(self, order_id: str) -> PackOrder | None: ...

    def by_label(self, label: str) -> PackOrder | None:
        """An open pack order by its tote code or order id."""
        ...

    def add(self, order: PackOrder) -> None: ...

    def save(self, order: PackOrder) -> None: ...


class OperatorRepository(Protocol):
    def by_badge(self, badge: str) -> Operator | None: ...

    def upsert(self, operators: list[Operator]) -> None: ...

    def reference(self) -> ReferenceState:
        """Whether the badges (the reference data) were ever loaded here: only then is a badge "unknown"."""
        ...


class ScanLog(Protocol):
    def add(self, record: ScanRecord) -> None: ...


class Outbox(Protocol):
    def append(self, entry: OutboxEntry) -> int:
        """Append the event with the next `seq` of this replica (in the same transaction); return it."""
        ...


class SessionStore(Protocol):
    def get(self) -> StationSession: ...

    def save(self, session: StationSession) -> None: ...


class ReadUnitOfWork(Protocol):
    """One consistent snapshot of the station's state for reading; it cannot commit, and never makes a write
    wait (the read paths: screens' views, the autopilot, badge look-ups)."""

    @property
    def work(self) -> WorkRepository: ...

    @property
    def packs(self) -> PackRepository: ...

    @property
    def operators(self) -> OperatorRepository: ...

    @property
    def session(self) -> SessionStore: ...

    @property
    def catalogue(self) -> Catalogue: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class UnitOfWork(ReadUnitOfWork, Protocol):
    """One local transaction: state, scan record and outbox rows commit together or not at all."""

    @property
    def scans(self) -> ScanLog: ...

    @property
    def outbox(self) -> Outbox: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork:
        """A unit of work that may write (it takes the station's write lock when it begins)."""
        ...

    def read_only(self) -> ReadUnitOfWork:
        """A unit of work that only reads."""
        ...


class Clock(Protocol):
    """Time for the station: `boot` counts suspend time (for leases), `wall` and `today` are for records."""

    def boot(self) -> float: ...

    def wall(self) -> float: ...

    def today(self) -> date: ...


class WorkSource(Protocol):
    """Claims work from the server (the sync client implements it). Raises Offline when it cannot."""

    def claim_pick(self, operator: str) -> ClaimedWork | None: ...

    def claim_pack(self, label: str, operator: str) -> PackOrder | None: ...
