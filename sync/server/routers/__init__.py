"""One router per resource; `ROUTERS` is what create_app mounts under /api/v1 (add new ones here)."""

from fastapi import APIRouter

from sync.server.routers import locations, operators, orders, products, stock, webhooks

ROUTERS: list[APIRouter] = [
    products.router,
    locations.router,
    stock.router,
    orders.router,
    operators.router,
    webhooks.router,
]
