"""Backorders meet new stock: fill them, and send orders that were already on the floor straight back to it.

An order backordered at intake waits, once accepted, for the supervisor's next release like any other. An
order that was already released (a short left units unfilled, and it waits ship-complete with its picked
units staged in a tote) is released again at once with just the remainder, as a single-order work unit, and
the short's exception is closed with a note, so nobody has to remember the staged tote.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.batching import BatchLimits
from app.server.db.base import utcnow
from app.server.orders.order_actions import backfill_backorders
from app.server.work import release as work
from app.server.work.models import FloorException, WorkOrder

#: one order per work unit: a remainder is picked into its own tote and joins the staged one at packing
_ALONE = BatchLimits(max_orders=1)


def restock(
    session: Session, product_ids: Collection[int], *, actor: str = "", today: date | None = None
) -> tuple[list[int], list[int]]:
    """New stock of `product_ids`: backorders take it; returns (orders accepted, orders topped up)."""
    accepted, topped = backfill_backorders(session, product_ids, actor=actor, today=today)
    resume_on_floor(session, accepted, actor=actor)
    return accepted, topped


def resume_on_floor(session: Session, order_ids: Collection[int], *, actor: str = "") -> work.Released:
    """Release the accepted orders among `order_ids` that had been on the floor before, and close their
    short exceptions."""
    if not order_ids:
        return work.Released()
    seen = session.scalars(
        select(WorkOrder.order_id).where(WorkOrder.order_id.in_(sorted(order_ids))).distinct()
    ).all()
    if not seen:
        return work.Released()
    done = work.release(session, _ALONE, actor=actor, order_ids=sorted(seen), limit=len(seen))
    for unit_id, _kind, orders in done.units:
        _close_shorts(
            session, orders, f"Stock arrived: the remainder is back on the floor in work {unit_id}."
        )
    return done


def _close_shorts(session: Session, order_ids: list[int], note: str) -> None:
    rows = session.scalars(
        select(FloorException)
        .where(
            FloorException.kind == "short_unfilled",
            FloorException.order_id.in_(order_ids),
            FloorException.acknowledged.is_(False),
        )
        .with_for_update()
    )
    for row in rows:
        row.message = f"{row.message} {note}"[:1000]
        row.acknowledged, row.acknowledged_at, row.acknowledged_by = True, utcnow(), "aisle (restocked)"
