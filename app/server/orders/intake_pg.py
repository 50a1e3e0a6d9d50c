"""Order intake on PostgreSQL in two statements: one reads and locks, one writes everything.

Each round trip costs the server and the database more than the work in it, so a new order takes
(besides BEGIN and COMMIT) exactly two:

1. `LOOK_AND_LOCK`: is (channel, external_id) known; the product id of each SKU; and, unless the order is
   known or will be held, the available stock rows of those SKUs locked FOR UPDATE in ascending id order
   (the same global lock order as `reservations.lock_stock`, so intake never deadlocks with it).
2. `INSERT_ORDER`: one statement with data-modifying CTEs that inserts the order, its lines, their
   reservations and its events and raises `reserved` on the locked stock rows; it returns the ids.

Allocation between the two is the same pure `app.domain.allocation.allocate` as everywhere else. SQLite
(one writer at a time anyway) uses the per-table Core statements in `intake`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Connection, Date, Integer, String, column, text

from app.domain.allocation import StockSlot
from app.server.stock.reservations import LockedStock, ReservationPlan

LOOK_AND_LOCK = text(
    """
    SELECT known.id AS existing_id, catalogue.skus, catalogue.product_ids,
           s.id, s.lot, s.expiry, s.on_hand, s.reserved, s.sku, s.code, s.sequence
    FROM (
        SELECT (SELECT id FROM orders WHERE channel = :channel AND external_id = :external_id) AS id
    ) AS known
    CROSS JOIN (
        SELECT array_agg(sku) AS skus, array_agg(id) AS product_ids
        FROM products WHERE sku = ANY(CAST(:skus AS text[]))
    ) AS catalogue
    LEFT JOIN LATERAL (
        SELECT stock_items.id, stock_items.lot, stock_items.expiry, stock_items.on_hand, stock_items.reserved,
               products.sku, locations.code, locations.sequence
        FROM stock_items
        JOIN products ON products.id = stock_items.product_id
        JOIN locations ON locations.id = stock_items.location_id
        WHERE known.id IS NULL AND CAST(:reserve AS boolean)
          AND products.sku = ANY(CAST(:skus AS text[]))
          AND stock_items.on_hand > stock_items.reserved
        ORDER BY stock_items.id
        FOR UPDATE OF stock_items
    ) AS s ON true
    """
).columns(  # typed, in SELECT order: SQLAlchemy then builds the result metadata once, not per execution
    column("existing_id", Integer),
    column("skus", ARRAY(String)),
    column("product_ids", ARRAY(Integer)),
    column("id", Integer),
    column("lot", String),
    column("expiry", Date),
    column("on_hand", Integer),
    column("reserved", Integer),
    column("sku", String),
    column("code", String),
    column("sequence", Integer),
)

# Lines, reservations, raises and events travel as JSON arrays: one json.dumps (in C) per set is far cheaper
# than psycopg adapting a Python list per column.
INSERT_ORDER = text(
    """
    WITH new_order AS (
        INSERT INTO orders (channel, external_id, fingerprint, status, hold_reason, customer_name,
                            customer_email, ship_to, payment_status, priority, priority_rank,
                            requested_service, promised_ship_date, created_at, updated_at)
        VALUES (:channel, :external_id, :fingerprint, :status, :hold_reason, :customer_name,
                :customer_email, CAST(:ship_to AS json), :payment_status, :priority, :priority_rank,
                :requested_service, CAST(:promised_ship_date AS date), :now, :now)
        RETURNING id
    ), new_lines AS (
        INSERT INTO order_lines (order_id, line_no, product_id, sku, qty, reserved, picked, packed)
        SELECT new_order.id, l.line_no, l.product_id, l.sku, l.qty, l.reserved, 0, 0
        FROM new_order, json_to_recordset(CAST(:lines AS json))
                        AS l(line_no int, product_id int, sku text, qty int, reserved int)
        RETURNING id, line_no
    ), new_reservations AS (
        INSERT INTO stock_reservations (order_line_id, stock_item_id, qty)
        SELECT new_lines.id, r.stock_item_id, r.qty
        FROM new_lines JOIN json_to_recordset(CAST(:reservations AS json))
                            AS r(line_no int, stock_item_id int, qty int) ON r.line_no = new_lines.line_no
    ), raised AS (
        UPDATE stock_items SET reserved = stock_items.reserved + u.qty
        FROM json_to_recordset(CAST(:raised AS json)) AS u(id int, qty int)
        WHERE stock_items.id = u.id
    ), new_events AS (
        INSERT INTO order_events (order_id, type, from_status, to_status, message, data, actor, at)
        SELECT new_order.id, e.type, e.from_status, e.to_status, e.message, e.data, :actor, :now
        FROM new_order, json_to_recordset(CAST(:events AS json))
                        AS e(type text, from_status text, to_status text, message text, data json)
    )
    SELECT new_order.id, (SELECT array_agg(id ORDER BY line_no) FROM new_lines) AS line_ids FROM new_order
    """
).columns(column("id", Integer), column("line_ids", ARRAY(Integer)))


@dataclass
class Lookup:
    """What `look_and_lock` found: the known order's id (or None), product ids by SKU, locked stock."""

    existing_id: int | None
    product_ids: dict[str, int]
    locked: LockedStock


def look_and_lock(
    conn: Connection, channel: str, external_id: str, skus: list[str], *, reserve: bool
) -> Lookup:
    """One round trip: the known order, the SKUs' products and (when `reserve`) their stock, locked."""
    params = {"channel": channel, "external_id": external_id, "skus": skus, "reserve": reserve}
    rows = conn.execute(LOOK_AND_LOCK, params).all()
    first = rows[0]
    product_ids = dict(zip(first.skus or (), first.product_ids or (), strict=True))
    slots, reserved = [], {}
    for r in rows:
        if r.id is not None:
            slots.append(StockSlot(r.id, r.sku, r.code, r.sequence, r.on_hand - r.reserved, r.lot, r.expiry))
            reserved[r.id] = r.reserved
    return Lookup(first.existing_id, product_ids, LockedStock(slots, reserved))


def insert_order(
    conn: Connection,
    values: dict[str, Any],
    lines: list[dict[str, Any]],
    plan: ReservationPlan | None,
    events: list[dict[str, Any]],
    *,
    actor: str,
) -> tuple[int, list[int]]:
    """One round trip: insert the order, lines, reservations and events, raise stock `reserved`."""
    reservations = plan.reservations if plan is not None else ()
    raised: dict[int, int] = defaultdict(int)
    for r in reservations:
        raised[r.slot_id] += r.qty
    params = {
        **values,
        "ship_to": json.dumps(values["ship_to"]),
        "now": values["created_at"],
        "actor": actor,
        "lines": json.dumps(lines),
        # a reservation's line_id is the line's index; line_no is index + 1
        "reservations": json.dumps(
            [{"line_no": r.line_id + 1, "stock_item_id": r.slot_id, "qty": r.qty} for r in reservations]
        ),
        "raised": json.dumps([{"id": sid, "qty": qty} for sid, qty in sorted(raised.items())]),
        "events": json.dumps(events),
    }
    row = conn.execute(INSERT_ORDER, params).one()
    return row.id, list(row.line_ids)
