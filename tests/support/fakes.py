"""In-memory adapters for fast tests: a transactional FakeUnitOfWork, a FakeClock and a FakeWorkSource.

The fake store keeps committed state in `FakeStore`; each unit of work works on a deep copy and publishes
it only on commit, so a test can show that a failed handler leaves nothing behind.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Self

from app.domain.catalogue import Location, Product
from app.domain.packing import PackOrder, PackState
from app.domain.work import WorkState, WorkUnit
from app.station.services.ports import (
    ClaimedWork,
    Offline,
    Operator,
    OutboxEntry,
    ReferenceState,
    ScanRecord,
    StationSession,
)


@dataclass
class FakeStore:
    """Committed state of a fake station database."""

    work: dict[str, WorkUnit] = field(default_factory=dict)
    packs: dict[str, PackOrder] = field(default_factory=dict)
    operators: dict[str, Operator] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    barcodes: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (sku, units)
    locations: dict[str, Location] = field(default_factory=dict)
    scans: list[ScanRecord] = field(default_factory=list)
    outbox: list[tuple[int, OutboxEntry]] = field(default_factory=list)
    session: StationSession = field(default_factory=StationSession)
    reference: ReferenceState = field(default_factory=lambda: ReferenceState(True))  # loaded
    commits: int = 0


class _Work:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def get(self, work_id: str) -> WorkUnit | None:
        return self.s.work.get(work_id)

    def active(self) -> WorkUnit | None:
        return next((u for u in self.s.work.values() if u.state is not WorkState.CLOSED), None)

    def add(self, unit: WorkUnit) -> None:
        self.s.work[unit.work_id] = unit

    def save(self, unit: WorkUnit) -> None:
        self.s.work[unit.work_id] = unit


class _Packs:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def get(self, order_id: str) -> PackOrder | None:
        return self.s.packs.get(order_id)

    def by_label(self, label: str) -> PackOrder | None:
        for o in self.s.packs.values():
            if o.state is PackState.VERIFYING and label in (o.order_id, o.tote):
                return o
        return self.s.packs.get(label)

    def add(self, order: PackOrder) -> None:
        self.s.packs[order.order_id] = order

    def save(self, order: PackOrder) -> None:
        self.s.packs[order.order_id] = order


class _Operators:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def by_badge(self, badge: str) -> Operator | None:
        return self.s.operators.get(badge)

    def upsert(self, operators: list[Operator]) -> None:
        self.s.operators.update({o.badge: o for o in operators})

    def reference(self) -> ReferenceState:
        return self.s.reference


class _Catalogue:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def product_by_barcode(self, key: str) -> tuple[Product, int] | None:
        hit = self.s.barcodes.get(key)
        return (self.s.products[hit[0]], hit[1]) if hit else None

    def location_exists(self, code: str) -> bool:
        return code in self.s.locations

    def product(self, sku: str) -> Product | None:
        return self.s.products.get(sku)

    def upsert_products(self, products: list[Product]) -> None:
        for p in products:
            self.s.products[p.sku] = p
            for b in p.barcodes:
                self.s.barcodes[b.key] = (p.sku, b.units)

    def upsert_locations(self, locations: list[Location]) -> None:
        self.s.locations.update({loc.code: loc for loc in locations})


class _Scans:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def add(self, record: ScanRecord) -> None:
        self.s.scans.append(record)


class _Outbox:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def append(self, entry: OutboxEntry) -> int:
        seq = len(self.s.outbox) + 1
        self.s.outbox.append((seq, entry))
        return seq


class _Session:
    def __init__(self, s: FakeStore) -> None:
        self.s = s

    def get(self) -> StationSession:
        return self.s.session

    def save(self, session: StationSession) -> None:
        self.s.session = session


class FakeUnitOfWork:
    """A unit of work over a deep copy of `store`; commit publishes the copy, anything else discards it."""

    def __init__(self, store: FakeStore, fail_on_commit: bool = False) -> None:
        self.store = store
        self.fail_on_commit = fail_on_commit

    def __enter__(self) -> Self:
        self._work = copy.deepcopy(self.store)
        s = self._work
        self.work, self.packs, self.operators = _Work(s), _Packs(s), _Operators(s)
        self.scans, self.outbox, self.session, self.catalogue = (
            _Scans(s),
            _Outbox(s),
            _Session(s),
            _Catalogue(s),
        )
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._work = None  # type: ignore[assignment]

    def commit(self) -> None:
        if self.fail_on_commit:
            raise OSError("disk I/O error (injected)")
        self._work.commits += 1
        self.store.__dict__.update(self._work.__dict__)

    def rollback(self) -> None:
        self._work = copy.deepcopy(self.store)


class FakeReadUnitOfWork(FakeUnitOfWork):
    """A read-only unit of work: like the SQL one, committing from it is a programming error."""

    def commit(self) -> None:
        raise RuntimeError("a read-only unit of work cannot commit")


class FakeUnitOfWorkFactory:
    """Callable returning fresh FakeUnitOfWork objects over one FakeStore; counts what was opened."""

    def __init__(self, store: FakeStore | None = None) -> None:
        self.store = store or FakeStore()
        self.fail_on_commit = False
        self.writers = 0  # units of work opened for writing (each would take the station's write lock)
        self.readers = 0

    def __call__(self) -> FakeUnitOfWork:
        self.writers += 1
        return FakeUnitOfWork(self.store, self.fail_on_commit)

    def read_only(self) -> FakeReadUnitOfWork:
        self.readers += 1
        return FakeReadUnitOfWork(self.store)


@dataclass
class FakeClock:
    """A clock tests move by hand."""

    boot_s: float = 1000.0
    wall_s: float = 1_780_000_000.0
    day: date = date(2026, 5, 1)

    def boot(self) -> float:
        return self.boot_s

    def wall(self) -> float:
        return self.wall_s

    def today(self) -> date:
        return self.day

    def advance(self, seconds: float) -> None:
        self.boot_s += seconds
        self.wall_s += seconds


@dataclass
class FakeWorkSource:
    """Hands out queued pick work and pack orders; `offline=True` makes every claim raise Offline."""

    pick_queue: list[ClaimedWork] = field(default_factory=list)
    pack_orders: dict[str, PackOrder] = field(default_factory=dict)  # by tote code and by order id
    offline: bool = False
    claims: list[str] = field(default_factory=list)

    def claim_pick(self, operator: str) -> ClaimedWork | None:
        self.claims.append(f"pick:{operator}")
        if self.offline:
            raise Offline("server unreachable")
        return self.pick_queue.pop(0) if self.pick_queue else None

    def claim_pack(self, label: str, operator: str) -> PackOrder | None:
        self.claims.append(f"pack:{label}")
        if self.offline:
            raise Offline("server unreachable")
        order = self.pack_orders.get(label)
        return copy.deepcopy(order) if order else None
