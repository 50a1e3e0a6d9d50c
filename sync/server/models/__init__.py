"""The server's tables. Import models from here; add new modules to the list so Alembic sees them."""

from sync.server.models.access import ApiToken, Operator
from sync.server.models.base import Base, utcnow
from sync.server.models.catalogue import Barcode, Location, Product
from sync.server.models.orders import Order, OrderEvent, OrderLine
from sync.server.models.stock import StockItem, StockMove, StockReservation

__all__ = [
    "ApiToken",
    "Barcode",
    "Base",
    "Location",
    "Operator",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Product",
    "StockItem",
    "StockMove",
    "StockReservation",
    "utcnow",
]
