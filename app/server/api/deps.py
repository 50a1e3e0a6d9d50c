"""FastAPI dependencies as `Annotated` aliases: the database, a read session, and the caller by role.

A router declares who may call it with one of the aliases below (or `require(...)` for another mix), e.g.

    @router.post("/things")
    def add_thing(body: Thing, db: DbDep, caller: WriterDep) -> ...:
        with db.session_scope(write=True) as session: ...

Writes open their own transaction with `db.session_scope(write=True)`, so the response is built only after
COMMIT; `SessionDep` is for read-only endpoints.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.config import ServerSettings
from app.server.access.auth import Principal, Role, TokenVerifier
from app.server.db.database import Database
from app.server.errors import ApiError

# The cheap dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in the thread pool,
# and a thread hop per dependency costs more than the dependency itself on the order-intake hot path.


async def get_db(request: Request) -> Database:
    """The app's Database (set by create_app)."""
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> ServerSettings:
    """The server settings the app was created with."""
    settings: ServerSettings = request.app.state.settings
    return settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def get_session(db: DbDep) -> Iterator[Session]:
    """A read-only session for the duration of the request."""
    with db.session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "unauthorized",
            "This endpoint needs a bearer token: send 'Authorization: Bearer <token>' "
            "(an administrator creates one with: aisle token create --role ROLE).",
            reason="missing",
        )
    return token.strip()


def _verify(db: Database, verifier: TokenVerifier, token: str) -> Principal | None:
    with db.session_scope() as session:
        return verifier.verify(session, token)


async def authenticate(request: Request) -> Principal:
    """The caller behind the bearer token; 401 when the token is missing, unknown or revoked."""
    token = _bearer(request)
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.cached(token)
    if principal is None:  # the database is asked in a worker thread, never on the event loop
        principal = await run_in_threadpool(_verify, request.app.state.db, verifier, token)
    if principal is None:
        raise ApiError(
            401,
            "unauthorized",
            "The bearer token is unknown or revoked; ask an administrator for a new one.",
            reason="unknown_or_revoked",
        )
    return principal


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only callers with one of `roles` (admin always) through; others get 403."""
    allowed = frozenset(roles) | {Role.ADMIN}

    async def _check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            names = " or ".join(sorted(r.value for r in allowed))
            raise ApiError(
                403,
                "forbidden",
                f"This needs a token with role {names}; yours has role {principal.role.value}.",
                token_role=principal.role.value,
                token_name=principal.name,
                needs=sorted(r.value for r in allowed),
            )
        return principal

    return _check


#: any valid token
CallerDep = Annotated[Principal, Depends(authenticate)]
#: admin only
AdminDep = Annotated[Principal, Depends(require(Role.ADMIN))]
#: shops and integrations that feed orders, products, locations and stock
WriterDep = Annotated[Principal, Depends(require(Role.INTEGRATION))]
#: people and systems that manage orders and stock on the floor
ManagerDep = Annotated[Principal, Depends(require(Role.INTEGRATION, Role.SUPERVISOR))]
#: floor supervisors
SupervisorDep = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
#: floor stations
StationDep = Annotated[Principal, Depends(require(Role.STATION))]
