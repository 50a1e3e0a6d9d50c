"""One router per resource; `ROUTERS` is what create_app mounts under /api/v1 (add new ones here)."""

from fastapi import APIRouter

from sync.server.routers import exceptions, locations, operators, orders, products, stations, stock, webhooks
from sync.server.routers import sync as sync_router
from sync.server.routers import work as work_router

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
]
