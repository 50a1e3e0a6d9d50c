"""The server's tables. Import models from here; add new modules to the list so Alembic sees them."""

from app.server.access.models import ApiToken, Operator
from app.server.catalogue.models import Barcode, Location, Product
from app.server.db.base import Base, utcnow
from app.server.orders.models import Order, OrderEvent, OrderLine
from app.server.shipping.models import IssuedNumber, NumberBlock, NumberRange
from app.server.stations.models import (
    Counter,
    RefChange,
    Replica,
    ServerIdentity,
    Station,
    StationChange,
    SyncEvent,
)
from app.server.stock.models import StockItem, StockMove, StockReservation
from app.server.work.models import CountTask, FloorException, WorkLine, WorkOrder, WorkUnit

__all__ = [
    "ApiToken",
    "Barcode",
    "Base",
    "CountTask",
    "Counter",
    "FloorException",
    "IssuedNumber",
    "Location",
    "NumberBlock",
    "NumberRange",
    "Operator",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Product",
    "RefChange",
    "Replica",
    "ServerIdentity",
    "Station",
    "StationChange",
    "StockItem",
    "StockMove",
    "StockReservation",
    "SyncEvent",
    "WorkLine",
    "WorkOrder",
    "WorkUnit",
    "utcnow",
]
