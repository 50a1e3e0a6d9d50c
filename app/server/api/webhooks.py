"""/webhooks/shopify/orders: Shopify order webhooks, authenticated by HMAC instead of a bearer token."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.server.api.deps import DbDep, SettingsDep
from app.server.api.views import order_out
from app.server.db.tx import run_write
from app.server.errors import ApiError
from app.server.orders.intake import take_order
from app.server.orders.schemas import OrderOut
from app.server.orders.shopify import ShopifyPayloadError, to_order_request, verify

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

HMAC_HEADER = "X-Shopify-Hmac-Sha256"


@router.post("/shopify/orders", status_code=201, response_model=OrderOut)
async def shopify_order(request: Request, db: DbDep, settings: SettingsDep, response: Response) -> OrderOut:
    """A Shopify order: verified against server.shopify_webhook_secret, then taken in like POST /orders."""
    secret = settings.shopify_webhook_secret
    if not secret:
        raise ApiError(
            404,
            "webhook_disabled",
            "The Shopify webhook is off: set server.shopify_webhook_secret to enable it.",
        )
    body = await request.body()
    header = request.headers.get(HMAC_HEADER)
    if not header:
        raise ApiError(
            401, "unauthorized", f"The {HMAC_HEADER} header is missing; only Shopify may call this."
        )
    if not verify(body, header, secret):
        raise ApiError(
            401,
            "unauthorized",
            f"{HMAC_HEADER} does not match the body: check the webhook secret on both sides.",
        )
    try:
        order_request = to_order_request(json.loads(body), settings.shopify_channel)
    except json.JSONDecodeError as exc:
        raise ApiError(400, "bad_request", f"The body is not JSON: {exc}") from None
    except ShopifyPayloadError as exc:
        raise ApiError(422, "validation_failed", f"Shopify order not usable: {exc}") from None

    def work(session: Session) -> OrderOut:
        result = take_order(session, order_request, actor=f"webhook:{settings.shopify_channel}")
        if not result.created:
            response.status_code = 200
        return order_out(result.order)

    return await run_in_threadpool(run_write, db, work, retry_integrity=True)
