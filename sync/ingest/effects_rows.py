"""The hot rows of a pushed batch as plain objects: work lines, order lines, stock slots, reservations.

A 500-event push touches a few hundred of these rows, most of them several times (four picks on one line
change the line, its order line, its stock slot and its reservation four times each). They are read once
with Core (locked FOR UPDATE on PostgreSQL), changed in memory by the handlers, and written back once: one
statement per table carrying only the rows whose values changed. So four picks on a line cost one row update,
not four, and no ORM unit of work runs on the hot path. Orders, work units and their orders are read the
same way; only the station row (one per batch) and a short's re-allocation (a new work unit) use the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, insert, or_, select
from sqlalchemy.orm import Session

from app.server.orders.models import Order, OrderLine
from app.server.stock.models import StockItem, StockReservation
from app.server.work.models import WorkLine, WorkOrder, WorkUnit
from sync.ingest.bulk import (
    Query,
    array_param,
    delete_rows,
    driver_rows,
    is_postgresql,
    update_rows,
)


@dataclass(slots=True)
class LineRow:
    """A work line (models.WorkLine) as the batch sees it; the handlers change `picked` and `status`."""

    id: int
    work_id: int
    order_id: int
    order_line_id: int
    stock_item_id: int | None
    product_id: int
    sku: str
    location: str
    lot: str
    qty: int
    picked: int
    status: str
    holder: str | None
    lease_token: int | None


@dataclass(slots=True)
class OrderRow:
    """An order (models.Order); the handlers move its `status` (and `updated_at`) along the state machine."""

    id: int
    status: str
    priority_rank: int
    updated_at: datetime

    @property
    def reference(self) -> str:
        """The label printed on pack slips, as models.Order.reference."""
        return f"ORD-{self.id}"


@dataclass(slots=True)
class OrderLineRow:
    """An order line (models.OrderLine); the handlers change `reserved`, `picked` and `packed`."""

    id: int
    order_id: int
    product_id: int
    sku: str
    qty: int
    reserved: int
    picked: int
    packed: int


@dataclass(slots=True)
class StockRow:
    """A stock slot (models.StockItem); the handlers change `on_hand` and `reserved`."""

    id: int
    product_id: int
    on_hand: int
    reserved: int


@dataclass(slots=True)
class ReservationRow:
    """A reservation (models.StockReservation); `id` None until written, `qty` 0 means released (deleted)."""

    id: int | None
    order_line_id: int
    stock_item_id: int
    qty: int


@dataclass(slots=True)
class WorkUnitRow:
    """A work unit (models.WorkUnit); the handlers mark it `done`."""

    id: int
    station_id: str | None
    status: str


@dataclass(slots=True)
class WorkOrderRow:
    """An order of a work unit (models.WorkOrder); the handlers set its `tote` and close it."""

    id: int
    work_id: int
    order_id: int
    tote: str | None
    closed: bool


class _Row(Protocol):
    id: int


R = TypeVar("R", bound=_Row)


class RowMap(dict[int, R], Generic[R]):
    """Rows of one table by id, remembering their changeable columns as read, so only changes are written."""

    def __init__(self, model: Any, row_type: Callable[..., R], changeable: tuple[str, ...]) -> None:
        super().__init__()
        self.model = model
        self.row_type: Callable[..., R] = row_type
        self.changeable = changeable
        # one C call for all of a row's changeable values (read for every row at read and at write);
        # attrgetter of one name gives the value itself, so wrap it in a tuple then
        getter = attrgetter(*changeable)
        self._get: Callable[[Any], Any] = getter if len(changeable) > 1 else (lambda row: (getter(row),))
        self._as_read: dict[int, tuple[Any, ...]] = {}

    def _values(self, row: R) -> tuple[Any, ...]:
        return self._get(row)  # type: ignore[no-any-return]  # attrgetter is untyped; a tuple by construction

    def read(self, session: Session, where: ColumnElement[bool], *, lock: bool = True) -> None:
        """Add the rows matching `where`, in id order (the lock order), locked unless `lock` is False."""
        t = self.model.__table__
        cols = [t.c[f.name] for f in fields(self.row_type)]  # type: ignore[arg-type]  # row_type: a dataclass
        stmt = select(*cols).where(where).order_by(t.c.id)
        self.add(session.execute(stmt.with_for_update() if lock else stmt))

    def read_ids(self, session: Session, *where: tuple[str, Collection[int]], lock: bool = True) -> None:
        """Add the rows whose column is one of the ids, for any of the (column, ids) pairs; as `read`."""
        wanted = [(column, ids) for column, ids in where if ids]
        if not wanted:
            return
        if not is_postgresql(session):
            t = self.model.__table__
            self.read(session, or_(*(t.c[c].in_(list(ids)) for c, ids in wanted)), lock=lock)
            return
        query = self.ids_query(*wanted, lock=lock)
        assert query is not None
        self.add(driver_rows(session, *query))

    def ids_query(self, *where: tuple[str, Collection[int]], lock: bool = True) -> Query | None:
        """read_ids as a PostgreSQL query (None when no ids are given), for driver_rows_together; its rows go
        to `add`."""
        wanted = [(column, ids) for column, ids in where if ids]
        if not wanted:
            return None
        names = ", ".join(f.name for f in fields(self.row_type))  # type: ignore[arg-type]  # row_type: a dataclass
        tests, params = [], {}
        for column, ids in wanted:
            array, params[column] = array_param(column, list(ids), "INTEGER")
            tests.append(f"{column} = ANY({array})")
        sql = f"SELECT {names} FROM {self.model.__tablename__} WHERE {' OR '.join(tests)} ORDER BY id"
        return sql + (" FOR UPDATE" if lock else ""), params

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add rows as read (the columns of the row type, in order): by `read`, or by `ids_query`'s query."""
        for values in rows:
            row = self.row_type(*values)
            self[row.id] = row
            self._as_read[row.id] = self._values(row)

    def as_read(self, key: int) -> tuple[Any, ...]:
        """Row `key`'s changeable values as read (or last written)."""
        return self._as_read[key]

    def deltas(self) -> dict[int, tuple[Any, ...]]:
        """Per row changed since read, how much each changeable column changed (numeric columns)."""
        out = {}
        for key, row in self.items():
            now, then = self._values(row), self._as_read[key]
            if now != then:
                out[key] = tuple(a - b for a, b in zip(now, then, strict=True))
        return out

    def write(self, session: Session) -> None:
        """UPDATE the rows that changed since they were read (or last written)."""
        current = {key: self._values(row) for key, row in self.items()}
        changed = {key: vals for key, vals in current.items() if vals != self._as_read.get(key)}
        update_rows(session, self.model, self.changeable, [(key, *vals) for key, vals in changed.items()])
        self._as_read.update(changed)


def line_rows() -> RowMap[LineRow]:
    return RowMap(WorkLine, LineRow, ("picked", "status"))


def order_rows() -> RowMap[OrderRow]:
    return RowMap(Order, OrderRow, ("status", "updated_at"))


def unit_rows() -> RowMap[WorkUnitRow]:
    return RowMap(WorkUnit, WorkUnitRow, ("status",))


def work_order_rows() -> RowMap[WorkOrderRow]:
    return RowMap(WorkOrder, WorkOrderRow, ("tote", "closed"))


def order_line_rows() -> RowMap[OrderLineRow]:
    return RowMap(OrderLine, OrderLineRow, ("reserved", "picked", "packed"))


def stock_rows() -> RowMap[StockRow]:
    return RowMap(StockItem, StockRow, ("on_hand", "reserved"))


class ReservationMap(dict[tuple[int, int], ReservationRow]):
    """Reservations by (order line, stock item), remembering each one's qty as read; written like RowMap."""

    def __init__(self) -> None:
        super().__init__()
        self._as_read: dict[int, int] = {}

    def read(self, session: Session, line_ids: Collection[int], stock_ids: Collection[int]) -> None:
        """Add the reservations of these order lines on these stock slots, locked, in id order."""
        if not line_ids or not stock_ids:
            return
        if is_postgresql(session):
            query = self.query(line_ids, stock_ids)
            assert query is not None
            self.add(driver_rows(session, *query))
            return
        t = StockReservation.__table__
        where = t.c.order_line_id.in_(list(line_ids)) & t.c.stock_item_id.in_(list(stock_ids))
        stmt = select(t.c.id, t.c.order_line_id, t.c.stock_item_id, t.c.qty).where(where).order_by(t.c.id)
        self.add(session.execute(stmt.with_for_update()))

    @staticmethod
    def query(line_ids: Collection[int], stock_ids: Collection[int]) -> Query | None:
        """`read` as a PostgreSQL query (None when there is nothing to read), for driver_rows_together."""
        if not line_ids or not stock_ids:
            return None
        lines, line_param = array_param("ol", list(line_ids), "INTEGER")
        stock, stock_param = array_param("si", list(stock_ids), "INTEGER")
        sql = (
            "SELECT id, order_line_id, stock_item_id, qty FROM stock_reservations "
            f"WHERE order_line_id = ANY({lines}) AND stock_item_id = ANY({stock}) ORDER BY id FOR UPDATE"
        )
        return sql, {"ol": line_param, "si": stock_param}

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add reservations read by `query` (id, order line, stock item, qty)."""
        for values in rows:
            row = ReservationRow(*values)
            self[(row.order_line_id, row.stock_item_id)] = row
            self._as_read[row.id] = row.qty  # type: ignore[index]  # a row read has its id

    def write(self, session: Session) -> None:
        """Delete the released ones (qty 0) and update the changed ones; insert_new adds the new ones."""
        rows = list(self.values())
        gone = [r for r in rows if r.id is not None and r.qty == 0]
        changed = [r for r in rows if r.id is not None and r.qty and r.qty != self._as_read[r.id]]
        delete_rows(session, StockReservation, [r.id for r in gone])
        update_rows(session, StockReservation, ("qty",), [(r.id, r.qty) for r in changed])
        for r in gone:
            del self._as_read[r.id]  # type: ignore[arg-type]  # filtered: r.id is not None
            r.id = None  # written as released; reserving it again inserts a new row
        self._as_read.update((r.id, r.qty) for r in changed)  # type: ignore[misc]  # filtered: ids not None

    def insert_new(self, session: Session) -> None:
        """Insert the new reservations (id None): rare (an undo, a re-allocation); their ids come back, so a
        later write of this batch updates them."""
        new = [r for r in self.values() if r.id is None and r.qty]
        if not new:
            return
        stmt = insert(StockReservation).returning(StockReservation.id, sort_by_parameter_order=True)
        params = [
            {"order_line_id": r.order_line_id, "stock_item_id": r.stock_item_id, "qty": r.qty} for r in new
        ]
        for r, new_id in zip(new, session.connection().execute(stmt, params).scalars(), strict=True):
            r.id = new_id
        self._as_read.update((r.id, r.qty) for r in new)  # type: ignore[misc]  # ids just returned by INSERT
