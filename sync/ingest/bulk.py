"""Batched reads and writes for the push path: PostgreSQL gets COPY and array parameters, SQLite executemany.

COPY streams every new row in one round trip with no per-row statement; an UPDATE from `unnest` of one array
per column changes any number of rows in one statement with a handful of parameters; `= ANY(array)` looks up
500 ids with one parameter instead of 500 placeholders (whose query text psycopg would parse anew each time).
On a 500-event push that is the difference between a few milliseconds and tens (tests/bench/bench_sync.py).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    delete,
    update,
)
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def _table(table: Any) -> Table:
    """The Core table of a mapped class (or the table itself)."""
    found: Table = getattr(table, "__table__", table)
    return found


def is_postgresql(session: Session) -> bool:
    """True when the session's database is PostgreSQL (COPY, arrays, driver-level SQL)."""
    return session.connection().dialect.name == "postgresql"


def driver_rows(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (psycopg placeholders) run on the session's own connection, straight through the driver.

    For the few fixed statements of the push path: no SQLAlchemy compile or result processing, which costs
    more than the statement itself at 500 events a batch.
    """
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with as_sqlalchemy_errors(sql, raw), raw.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows


#: a driver-level read: (SQL with psycopg placeholders, parameters)
Query = tuple[str, dict[str, Any]]


def driver_rows_together(session: Session, queries: Sequence[Query]) -> list[list[tuple[Any, ...]]]:
    """The rows of each of `queries` (PostgreSQL, driver level), sent in one pipeline: one round trip for
    all of them instead of one each. They run one after the other, in the order given (a lock order holds)."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with as_sqlalchemy_errors("; ".join(q[0] for q in queries), raw), raw.pipeline():
        cursors = [raw.cursor() for _ in queries]
        for cur, (sql, params) in zip(cursors, queries, strict=True):
            cur.execute(sql, params)
        return [cur.fetchall() for cur in cursors]


@contextmanager
def as_sqlalchemy_errors(statement: str, raw: Any = None) -> Iterator[None]:
    """Errors of statements sent straight through the driver, raised as SQLAlchemy raises them
    (IntegrityError, OperationalError …): retries, unique keys and the 503 of an outage treat them alike.
    `raw`, the driver connection: when it broke, the error says so as SQLAlchemy's would (a retry follows)."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        broken = bool(raw is not None and (raw.broken or raw.closed))
        raise DBAPIError.instance(statement, None, exc, psycopg.Error, connection_invalidated=broken) from exc


def in_values(session: Session, column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as `column = ANY(:array)`, one parameter however many values."""
    found: ColumnElement[bool]
    if is_postgresql(session):
        found = column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    else:
        found = column.in_(list(values))
    return found


class JsonText(str):
    """A value of a JSON column already encoded: COPYed as is instead of encoded again."""


def insert_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table` (a Table or a mapped class)."""
    if not rows:
        return
    t = _table(table)
    cols = list(rows[0])
    # COPY takes JSON already encoded; SQLite's insert encodes it itself
    as_json = {c for c in cols if isinstance(t.c[c].type, JSON)} if is_postgresql(session) else set()
    tuples = [tuple(_json(r[c]) if c in as_json else r[c] for c in cols) for r in rows]
    insert_tuples(session, t, cols, tuples)


def insert_tuples(session: Session, table: Any, cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT `rows` (tuples in the order of `cols`, JSON as JsonText) into `table`: COPY on PostgreSQL.

    The form for the one row per pushed event, built straight as tuples.
    """
    if not rows:
        return
    t = _table(table)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        decoded = [
            {c: json.loads(v) if isinstance(v, JsonText) else v for c, v in zip(cols, r, strict=True)}
            for r in rows
        ]
        conn.execute(t.insert(), decoded)
        return
    names = ", ".join(f'"{c}"' for c in cols)
    raw = conn.connection.driver_connection
    assert raw is not None
    types = [_binary_type(t.c[c].type) for c in cols]
    binary = all(types)
    sql = f'COPY "{t.name}" ({names}) FROM STDIN' + (" (FORMAT BINARY)" if binary else "")
    with as_sqlalchemy_errors(sql, raw), raw.cursor() as cur, cur.copy(sql) as copy:
        if binary:
            copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


def _binary_type(column_type: Any) -> str:
    """The PostgreSQL type whose binary form COPY sends for a column, or "" when there is none here.

    Binary COPY skips formatting numbers and times as text on one side and parsing them on the other. A JSON
    column gets its value as text already encoded: json's binary form is that text (declaring it json would
    make the driver encode the text again, as a JSON string).
    """
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, JSON | String):
        return "text"
    if isinstance(column_type, SmallInteger):
        return ""
    if isinstance(column_type, BigInteger):
        return "int8"
    if isinstance(column_type, Integer):
        return "int4"
    if isinstance(column_type, Float):
        return "float8"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, DateTime) and column_type.timezone:
        return "timestamptz"
    return ""


def _json(value: Any) -> JsonText:
    return value if isinstance(value, JsonText) else JsonText(json.dumps(value))


def update_rows(session: Session, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Set `columns` of each row, given as (primary key, *values): one statement on PostgreSQL."""
    if not rows:
        return
    t = _table(table)
    key = t.primary_key.columns[0]
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        stmt = update(t).where(key == bindparam("_key")).values({c: bindparam(f"_{c}") for c in columns})
        conn.execute(
            stmt, [{"_key": r[0], **{f"_{c}": v for c, v in zip(columns, r[1:], strict=True)}} for r in rows]
        )
        return
    names = [key.name, *columns]
    arrays, params = [], {}
    for n, col in zip(names, zip(*rows, strict=True), strict=True):
        expression, params[n] = array_param(n, col, t.c[n].type.compile(conn.dialect))
        arrays.append(expression)
    sets = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    # the extra `= ANY` on the key lets the planner reach the rows through the primary key even when it
    # guesses the table small enough to scan whole and hash-join (~1 ms a statement on a few thousand rows)
    sql = (
        f'UPDATE "{t.name}" AS t SET {sets} FROM unnest({", ".join(arrays)}) AS v({", ".join(names)}) '
        f'WHERE t."{key.name}" = v."{key.name}" AND t."{key.name}" = ANY({arrays[0]})'
    )
    _send(session, sql, params)


def _send(session: Session, sql: str, params: dict[str, Any]) -> None:
    """Run a statement with no result straight through the driver (queued when `pipelined`)."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with as_sqlalchemy_errors(sql, raw):
        raw.cursor().execute(sql, params)


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """On PostgreSQL, statements sent by update_rows/delete_rows in the block go out without waiting for each
    answer (psycopg pipeline mode); the block ends when the server has answered them all, and raises the
    first error. Nothing in the block may need a result. Elsewhere the block runs as it is."""
    if not is_postgresql(session):
        yield
        return
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with as_sqlalchemy_errors("(pipeline)", raw), raw.pipeline():
        yield


def _placeholder(name: str, values: Sequence[Any]) -> str:
    """psycopg's placeholder for an array parameter: binary when it can be (several times cheaper to build
    than the text form, whose per-element quoting runs in Python), text when a None leaves the type open."""
    return f"%({name})b" if values and all(v is not None for v in values) else f"%({name})s"


def array_param(name: str, values: Sequence[Any], sql_type: str) -> tuple[str, Any]:
    """An array parameter as (SQL expression, value): whole numbers as an array literal ('{1,2,3}', one
    str.join — psycopg builds a list parameter element by element in Python, ~0.1 ms for a hundred ids),
    anything else as psycopg's own list parameter."""
    if values and all(type(v) is int for v in values):
        return f"CAST(%({name})s AS {sql_type}[])", "{" + ",".join(map(str, values)) + "}"
    return f"CAST({_placeholder(name, values)} AS {sql_type}[])", list(values)


def any_of(session: Session, table: Any, column: str, values: Collection[Any], select: str) -> list[Any]:
    """Rows of `select` (a column list of `table`) whose `column` is one of `values`.

    On PostgreSQL the values go as one binary array parameter: for the 500 event ids of a push, the text form
    costs about 2 ms of Python per statement, the binary one a fifth of that.
    """
    t = _table(table)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        cols = [t.c[c.strip()] for c in select.split(",")]
        return list(conn.execute(sa_select(*cols).where(t.c[column].in_(list(values)))))
    vals = list(values)
    array = f"CAST({_placeholder('v', vals)} AS {t.c[column].type.compile(conn.dialect)}[])"
    sql = f'SELECT {select} FROM "{t.name}" WHERE "{column}" = ANY({array})'
    return list(conn.exec_driver_sql(sql, {"v": vals}))


def delete_rows(session: Session, table: Any, ids: Collection[Any]) -> None:
    """DELETE the rows of `table` whose primary key is in `ids`, in one statement."""
    if not ids:
        return
    t = _table(table)
    key = t.primary_key.columns[0]
    if not is_postgresql(session):
        session.connection().execute(delete(t).where(key.in_(list(ids))))
        return
    array, value = array_param("ids", list(ids), key.type.compile(session.connection().dialect))
    _send(session, f'DELETE FROM "{t.name}" WHERE "{key.name}" = ANY({array})', {"ids": value})
