"""The server's tables. Import models from here; add new modules to the list so Alembic sees them."""

from sync.server.models.access import ApiToken, Operator
from sync.server.models.base import Base, utcnow
from sync.server.models.catalogue import Barcode, Location, Product
from sync.server.models.orders import Order, OrderEvent, OrderLine
from sync.server.models.stock import StockItem, StockMove, StockReservation
from sync.server.models.sync import Counter, RefChange, Replica, Station, StationChange, SyncEvent
from sync.server.models.work import CountTask, FloorException, WorkLine, WorkOrder, WorkUnit

__all__ = [
    "ApiToken",
    "Barcode",
    "Base",
    "CountTask",
    "Counter",
    "FloorException",
    "Location",
    "Operator",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Product",
    "RefChange",
    "Replica",
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
