"""/sync: register a replica, push events, pull changes (docs/sync.md; the wire models are sync.schemas)."""

from __future__ import annotations

import logging
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.server.api.deps import DbDep, SettingsDep, StationDep
from app.server.clock import NowDep
from app.server.db.base import utcnow
from app.server.db.snapshot import run_snapshot
from app.server.db.tx import run_write
from app.server.errors import ApiError, describe_validation
from app.server.stations import registry as st
from app.server.stations.models import Replica
from app.server.work.models import FloorException
from sync import schemas as w
from sync.ingest.pull import note_pull, pull
from sync.ingest.push import push_batch
from sync.ingest.restored import note_rekey

#: stations send JSON bodies without a Content-Type header (sync.client posts `content=`)
router = APIRouter(prefix="/sync", tags=["sync"], strict_content_type=False)
log = logging.getLogger("aisle.server.sync")

_JSON = "application/json"


@router.post("/register", response_model=w.RegisterResponse)
def register(body: w.RegisterRequest, db: DbDep, caller: StationDep, now: NowDep) -> w.RegisterResponse:
    """Register a replica (a station database file); idempotent. A wiped station registers a new one (S12);
    a restored one re-keys and names the replica it `retired`, which the supervisor hears of once. A database
    that belongs to another server (`server_id`) is refused with 409 wrong_server."""
    st.authorize_station(caller, body.station_id)

    def work(session: Session) -> w.RegisterResponse:
        server_id = st.check_server(session, body.server_id)  # a foreign database registers nothing
        new = body.retired is not None and session.get(Replica, body.replica_id) is None
        replica = st.register_replica(session, body.station_id, body.replica_id, body.app_version)
        if new and body.retired is not None:
            note_rekey(session, body.station_id, body.replica_id, body.retired)
        return w.RegisterResponse(
            replica_id=replica.replica_id,
            expected_next=replica.last_seq + 1,
            server_now=now,
            server_id=server_id,
        )

    return run_write(db, work, retry_integrity=True)


@router.post(
    "/push",
    response_model=w.PushResponse,
    openapi_extra={"requestBody": {"content": {_JSON: {"schema": w.PushRequest.model_json_schema()}}}},
    responses={
        409: {"description": "gap, seq_reuse_mismatch or unknown_replica"},
        426: {"description": "upgrade"},
    },
)
async def push_events(
    request: Request, db: DbDep, settings: SettingsDep, caller: StationDep, now: NowDep
) -> Response:
    """Apply a batch of outbox events exactly once, in one transaction; answered only after COMMIT (S1).

    The body is parsed straight from bytes (a 500-event batch parses several times faster than through
    FastAPI's dict round trip); the database work runs in the thread pool.
    """
    try:
        body = w.PushRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise ApiError(
            422, "validation_failed", "The push is not valid: " + describe_validation(exc.errors())
        ) from None
    st.authorize_station(caller, body.station_id)

    def work() -> bytes:
        try:
            return orjson.dumps(push_batch(db, body, now, wrong_item_streak=settings.wrong_item_streak))
        except ApiError as exc:
            if exc.error == "seq_reuse_mismatch":
                _alarm(db, body, exc)
            raise

    return Response(await run_in_threadpool(work), media_type=_JSON)


def _alarm(db: DbDep, body: w.PushRequest, exc: ApiError) -> None:
    """Same seq, different content: nothing was applied; tell the supervisor in a transaction of its own."""
    log.warning("seq_reuse_mismatch from %s replica %s: %s", body.station_id, body.replica_id, exc.message)

    def work(session: Session) -> None:
        session.add(
            FloorException(
                kind="seq_reuse_mismatch",
                station_id=body.station_id,
                operator="",
                message=exc.message[:1000],
                data={"replica_id": body.replica_id, "seq": exc.extra.get("seq")},
                acknowledged=False,
                acknowledged_by="",
                created_at=utcnow(),
            )
        )

    run_write(db, work)


@router.get("/pull", response_model=w.PullResponse)
def pull_changes(
    db: DbDep,
    settings: SettingsDep,
    caller: StationDep,
    now: NowDep,
    station_id: str,
    replica_id: str,
    cursor: str | None = None,
    wall: Annotated[
        float | None, Query(description="the station's wall clock, for the clock-offset view")
    ] = None,
) -> Response:
    """Acks, leases (renewed now), outcomes and reference changes since `cursor`, from one snapshot (S6)."""
    st.authorize_station(caller, station_id)
    result = run_snapshot(
        db,
        lambda s: pull(
            s,
            station_id,
            replica_id,
            cursor,
            now,
            lease_s=settings.lease_seconds,
            max_changes=settings.pull_max_changes,
        ),
    )
    run_write(db, lambda s: note_pull(s, station_id, result.cursor, now, wall, settings.change_retention))
    return Response(result.model_dump_json(), media_type=_JSON)
