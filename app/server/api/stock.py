"""/stock: receipts, adjustments, and stock by SKU or location."""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.server.api.deps import CallerDep, DbDep, ManagerDep, SessionDep
from app.server.api.views import stock_out
from app.server.db.tx import run_write
from app.server.errors import ApiError
from app.server.stock import moves as stock_service
from app.server.stock.moves import StockChange
from app.server.stock.schemas import AdjustmentIn, ReceiptIn, StockChangeOut, StockOut

router = APIRouter(prefix="/stock", tags=["stock"])


def _change_out(change: StockChange) -> StockChangeOut:
    base = stock_out(change.item, change.product, change.location)
    return StockChangeOut(
        **base.model_dump(),
        move_id=change.move.id,
        delta=change.move.delta,
        reason=change.move.reason,
        orders_accepted=change.orders_accepted,
        orders_backordered=change.orders_backordered,
    )


@router.post("/receipts", status_code=201, response_model=StockChangeOut)
def post_receipt(body: ReceiptIn, db: DbDep, caller: ManagerDep) -> StockChangeOut:
    """Goods arrived at a location; backordered orders waiting for this SKU are accepted when covered."""
    change = run_write(
        db, lambda s: stock_service.receive(s, **body.model_dump(), actor=caller.actor), retry_integrity=True
    )
    return _change_out(change)


@router.post("/adjustments", status_code=201, response_model=StockChangeOut)
def post_adjustment(body: AdjustmentIn, db: DbDep, caller: ManagerDep) -> StockChangeOut:
    """Correct stock by a signed `delta` or to a `counted` quantity; the move is kept with its note."""
    change = run_write(
        db, lambda s: stock_service.adjust(s, **body.model_dump(), actor=caller.actor), retry_integrity=True
    )
    return _change_out(change)


@router.get("", response_model=list[StockOut])
def get_stock(
    session: SessionDep,
    _caller: CallerDep,
    sku: str | None = None,
    location: str | None = None,
    limit: int = Query(500, ge=1, le=5000),
) -> list[StockOut]:
    """Stock of one SKU (in walking order) or at one location; give `sku` or `location`."""
    if not sku and not location:
        raise ApiError(400, "bad_request", "Say which stock: GET /api/v1/stock?sku=SKU or ?location=CODE.")
    return [stock_out(*row) for row in stock_service.query(session, sku=sku, location=location, limit=limit)]
