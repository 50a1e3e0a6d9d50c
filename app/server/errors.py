"""Every error leaves the server as JSON `{error, message}`: a stable code and an actionable sentence."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain.errors import DomainError, IllegalTransition
from app.server.db.database import is_unavailable

log = logging.getLogger("aisle.server")
T_co = TypeVar("T_co", covariant=True)


class ApiError(Exception):
    """An error response: HTTP `status`, stable `error` code, human `message`, optional extra fields."""

    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.extra = status, error, message, extra


def not_found(what: str, key: object, hint: str = "") -> ApiError:
    """404 for an unknown `what` named `key`."""
    return ApiError(404, "not_found", f"{what} {key} does not exist." + (f" {hint}" if hint else ""))


class ToDomain(Protocol[T_co]):
    def to_domain(self) -> T_co: ...


def all_to_domain(items: Sequence[ToDomain[T_co]]) -> list[T_co]:
    """Every item of a bulk request as its domain object, or a 422 naming each bad item (nothing is saved)."""
    domain, problems = [], []
    for n, item in enumerate(items):
        try:
            domain.append(item.to_domain())
        except DomainError as exc:
            problems.append(f"item {n}: {exc.message}")
    if problems:
        raise ApiError(
            422, "validation_failed", "; ".join(problems[:20]) + ". Nothing was saved.", problems=problems
        )
    return domain


def error_body(error: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of every error."""
    return {"error": error, "message": message, **extra}


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def describe_validation(errors: list[Any]) -> str:
    """One sentence per problem, naming the field: 'field lines.0.qty: input should be greater than 0'."""
    out = []
    for e in errors[:10]:
        msg = str(e.get("msg", "is invalid")).removeprefix("Value error, ")
        out.append(f"field {_field(e.get('loc', ()))}: {msg[:1].lower() + msg[1:]}")
    more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
    return "; ".join(out) + more


def install_error_handlers(app: FastAPI) -> None:
    """Make 404, 405, 422, domain errors and crashes all answer `{error, message}`."""

    @app.exception_handler(ApiError)
    async def _api_error(_req: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.error, exc.message, **exc.extra), status_code=exc.status)

    @app.exception_handler(DomainError)
    async def _domain_error(_req: Request, exc: DomainError) -> JSONResponse:
        status = 409 if isinstance(exc, IllegalTransition) else 422
        return JSONResponse(error_body(exc.code, exc.message), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body(
                "validation_failed", "The request is not valid: " + describe_validation(list(exc.errors()))
            ),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"There is no endpoint {req.method} {req.url.path}; see /openapi.json for the API."
        elif exc.status_code == 405:
            message = f"{req.url.path} does not accept {req.method}; see /openapi.json for the API."
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _crash(req: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", req.method, req.url.path)
        return JSONResponse(
            error_body(
                "internal_error",
                "The server failed on this request; it was logged. Retry later or tell the administrator.",
            ),
            status_code=500,
        )

    @app.exception_handler(SQLAlchemyError)
    async def _database(req: Request, exc: SQLAlchemyError) -> JSONResponse:
        if not is_unavailable(exc):
            return await _crash(req, exc)
        return database_unavailable(req, exc)


#: seconds a client is asked to wait before it retries while the database is out of reach
RETRY_AFTER_S = 2


def database_unavailable(req: Request, exc: SQLAlchemyError) -> JSONResponse:
    """503 while the database is restarting or out of reach: one log line (the reason stays in the log, not
    in the answer), no traceback, a retry hint.

    Whether a write that failed at COMMIT was applied is unknown, so the message promises only what holds:
    a re-sent station event is never applied twice.
    """
    orig = getattr(exc, "orig", None) or exc
    reason = (str(orig).strip().splitlines() or [orig.__class__.__name__])[0]
    log.warning("database unavailable on %s %s: %s", req.method, req.url.path, reason[:300])
    return JSONResponse(
        error_body(
            "database_unavailable",
            "The server cannot reach its database right now; retry in a few seconds. Stations keep their "
            "queue and re-send it by themselves (a re-sent event is never applied twice). If this lasts, "
            "the administrator should check the database server and the server log.",
        ),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )
