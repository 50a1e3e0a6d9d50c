"""The central server's FastAPI app: `create_app(settings)`, used by `aisle server`, the demo and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import BatchingSettings, ServerSettings, Settings, ShippingSettings
from app.server.access.auth import TokenVerifier
from app.server.api import ROUTERS
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.server.errors import install_error_handlers
from app.server.shipping.carriers import load_server_carriers
from app.server.shipping.ranges import configure_ranges

API_PREFIX = "/api/v1"


def create_app(settings: ServerSettings | Settings | None = None, *, db: Database | None = None) -> FastAPI:
    """Build the app on `settings.database_url` (or an existing `db`), migrating first when configured."""
    batching = settings.batching if isinstance(settings, Settings) else BatchingSettings()
    shipping = settings.shipping if isinstance(settings, Settings) else ShippingSettings()
    if isinstance(settings, Settings):
        settings = settings.server
    settings = settings or ServerSettings.model_validate({})
    carriers = load_server_carriers(shipping)  # before the database: a wrong carriers.toml stops start-up
    db = db or Database(settings.database_url)
    if settings.migrate_on_start:
        upgrade(db)
    configure_ranges(db, shipping.ranges())  # [shipping]'s number ranges, stored (nothing when none is set)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="Aisle central server",
        version="1",
        description="Orders, stock and work for the warehouse floor. /api/v1 needs a bearer token.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.batching = batching
    app.state.shipping = shipping
    app.state.db = db
    app.state.carriers = carriers
    app.state.token_verifier = TokenVerifier(settings.token_cache_seconds)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness for load balancers and scripts (no token needed, tells nothing about data)."""
        return {"status": "ok"}

    return app
