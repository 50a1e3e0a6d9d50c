"""Stock receipts, adjustments and queries: every change is a StockMove with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import ValidationFailed
from app.domain.order_status import OrderStatus
from app.domain.stock import (
    PUTAWAY_LOCATION,
    MoveReason,
    StockLevel,
    apply_move,
    over_reserved,
    receipt_problems,
)
from app.domain.stock import StockMove as DomainMove
from app.server.catalogue.models import Location, Product
from app.server.errors import ApiError
from app.server.orders import history as events
from app.server.orders.backorders import restock
from app.server.orders.models import Order, OrderLine
from app.server.orders.order_actions import accept_or_backorder
from app.server.stock.models import StockItem, StockMove, StockReservation


@dataclass
class StockChange:
    """A slot after a change, the move that changed it, and the orders the change accepted or backordered."""

    item: StockItem
    product: Product
    location: Location
    move: StockMove
    orders_accepted: list[int] = field(default_factory=list)
    orders_backordered: list[int] = field(default_factory=list)


def product_by_sku(session: Session, sku: str) -> Product:
    product = session.scalars(select(Product).where(Product.sku == sku)).first()
    if product is None:
        raise ApiError(
            422, "unknown_sku", f"SKU {sku} is not known; send it first with POST /api/v1/products."
        )
    return product


def location_by_code(session: Session, code: str) -> Location:
    location = session.scalars(select(Location).where(Location.code == code)).first()
    if location is None:
        raise ApiError(
            422,
            "unknown_location",
            f"Location {code} is not known; send it first with POST /api/v1/locations.",
        )
    return location


def _slot(
    session: Session, product: Product, location: Location, lot: str, *, create: bool
) -> StockItem | None:
    item = session.scalars(
        select(StockItem)
        .where(StockItem.product_id == product.id, StockItem.location_id == location.id, StockItem.lot == lot)
        .with_for_update()
    ).first()
    if item is None and create:
        item = StockItem(product_id=product.id, location_id=location.id, lot=lot, on_hand=0, reserved=0)
        session.add(item)
        session.flush()
    return item


def _check_expiry(item: StockItem, expiry: date | None, where: str) -> None:
    if expiry is not None and item.expiry is not None and item.expiry != expiry:
        raise ApiError(
            422,
            "expiry_mismatch",
            f"{where} has expiry {item.expiry}; this says {expiry}. A lot has one expiry: check the lot.",
        )
    if expiry is not None:
        item.expiry = expiry


def _apply(session: Session, item: StockItem, move: DomainMove, actor: str) -> StockMove:
    try:
        level = apply_move(StockLevel(item.on_hand, item.reserved), move)
    except ValidationFailed as exc:
        raise ApiError(422, "validation_failed", exc.message) from None
    item.on_hand = level.on_hand
    lost = over_reserved(level)
    if lost:
        item.reserved -= lost
    row = StockMove(
        stock_item_id=item.id, delta=move.delta, reason=move.reason.value, note=move.note, actor=actor
    )
    session.add(row)
    session.flush()
    if lost:
        _take_back(session, item, lost, actor)
    return row


def _take_back(session: Session, item: StockItem, lost: int, actor: str) -> None:
    """Stock vanished under reservations: un-reserve the newest ones, then try to re-reserve elsewhere."""
    rows = session.scalars(
        select(StockReservation)
        .where(StockReservation.stock_item_id == item.id)
        .order_by(StockReservation.id.desc())
        .with_for_update()
    ).all()
    touched: dict[int, Order] = {}
    for res in rows:
        if lost == 0:
            break
        take = min(lost, res.qty)
        lost -= take
        line = session.get_one(OrderLine, res.order_line_id)
        line.reserved -= take
        touched[line.order_id] = line.order
        if take == res.qty:
            session.delete(res)
        else:
            res.qty -= take
    session.flush()
    for order in touched.values():
        events.record(
            session, order, "reservation.lost", f"Stock of {item.id} was adjusted down", actor=actor
        )
        if order.status == OrderStatus.ACCEPTED.value:
            accept_or_backorder(session, order, actor=actor)


def receive(
    session: Session,
    *,
    sku: str,
    location: str,
    qty: int,
    lot: str = "",
    expiry: date | None = None,
    note: str = "",
    actor: str = "",
) -> StockChange:
    """Goods arrived: add them to the slot (created if new) and let backorders take what they need."""
    product, loc = product_by_sku(session, sku), location_by_code(session, location)
    problems = receipt_problems(
        qty=qty,
        lot=lot,
        expiry=expiry,
        lot_tracked=product.lot_tracked,
        expiry_tracked=product.expiry_tracked,
    )
    if problems:
        raise ApiError(422, "validation_failed", f"Receipt of {sku} at {location}: " + "; ".join(problems))
    item = _slot(session, product, loc, lot, create=True)
    assert item is not None
    _check_expiry(item, expiry, f"{sku} lot {lot or '(none)'} at {location}")
    move = _apply(session, item, DomainMove(sku, location, qty, MoveReason.RECEIPT, lot, note), actor)
    accepted, topped = restock(session, [product.id], actor=actor)
    session.refresh(item)  # backfill changed `reserved` with bulk statements
    return StockChange(item, product, loc, move, accepted, topped)


def adjust(
    session: Session,
    *,
    sku: str,
    location: str,
    lot: str = "",
    delta: int | None = None,
    counted: int | None = None,
    expiry: date | None = None,
    note: str = "",
    actor: str = "",
) -> StockChange:
    """Correct a slot by `delta` or to the `counted` qty; reservations that no longer fit are re-allocated."""
    product, loc = product_by_sku(session, sku), location_by_code(session, location)
    wants_more = (delta or 0) > 0 or (counted or 0) > 0
    item = _slot(session, product, loc, lot, create=wants_more)
    if item is None:
        raise ApiError(
            422, "unknown_stock", f"There is no stock of {sku} lot {lot or '(none)'} at {location} to adjust."
        )
    _check_expiry(item, expiry, f"{sku} lot {lot or '(none)'} at {location}")
    change = delta if delta is not None else (counted or 0) - item.on_hand
    if change == 0:
        raise ApiError(
            422, "validation_failed", f"{sku} at {location} already holds {item.on_hand}; nothing to adjust."
        )
    move = _apply(session, item, DomainMove(sku, location, change, MoveReason.ADJUSTMENT, lot, note), actor)
    accepted: list[int] = []
    topped: list[int] = []
    if change > 0:
        accepted, topped = restock(session, [product.id], actor=actor)
    session.refresh(item)  # backfill changed `reserved` with bulk statements
    return StockChange(item, product, loc, move, accepted, topped)


def _putaway_location(session: Session) -> Location:
    """The put-away location, created on first use (a concurrent creator wins; its row is used)."""
    found = session.scalars(select(Location).where(Location.code == PUTAWAY_LOCATION)).first()
    if found is not None:
        return found
    try:
        with session.begin_nested():
            session.add(Location(code=PUTAWAY_LOCATION, zone="PUTAWAY", sequence=0))
    except IntegrityError:
        pass
    return session.scalars(select(Location).where(Location.code == PUTAWAY_LOCATION)).one()


def book_back(
    session: Session, source: StockItem, qty: int, *, order_id: int, note: str, actor: str
) -> StockMove:
    """`qty` units picked from `source` are back on the books at the put-away location (reason `cancel`)."""
    product, loc = session.get_one(Product, source.product_id), _putaway_location(session)
    item = _slot(session, product, loc, source.lot, create=True)
    assert item is not None
    item.expiry = item.expiry or source.expiry
    move = DomainMove(product.sku, loc.code, qty, MoveReason.CANCEL, source.lot, note)
    row = _apply(session, item, move, actor)
    row.order_id = order_id
    return row


def query(
    session: Session, *, sku: str | None = None, location: str | None = None, limit: int = 500
) -> list[tuple[StockItem, Product, Location]]:
    """Stock rows (item, product, location) for a SKU or a location, in walking order."""
    stmt = (
        select(StockItem, Product, Location)
        .join(Product, Product.id == StockItem.product_id)
        .join(Location, Location.id == StockItem.location_id)
        .order_by(Product.sku, Location.sequence, Location.code, StockItem.lot)
        .limit(limit)
    )
    if sku:
        stmt = stmt.where(Product.sku == sku)
    if location:
        stmt = stmt.where(Location.code == location)
    return [tuple(r) for r in session.execute(stmt).all()]
