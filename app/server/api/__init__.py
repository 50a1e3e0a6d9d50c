"""One router per resource; `ROUTERS` is what create_app mounts under /api/v1 (add new ones here)."""

from fastapi import APIRouter

from app.server.api import (
    exceptions,
    locations,
    numbers,
    operators,
    orders,
    products,
    shipping,
    stations,
    stock,
    webhooks,
)
from app.server.api import sync as sync_router
from app.server.api import work as work_router

ROUTERS: list[APIRouter] = [
    products.router,
    locations.router,
    stock.router,
    orders.router,
    operators.router,
    webhooks.router,
    sync_router.router,
    work_router.router,
    stations.router,
    exceptions.router,
    numbers.router,
    shipping.router,
]
