"""/numbers: parcel identifiers (SSCC-18, generic carriers' tracking numbers). Stations lease blocks for
their replica, the server issues numbers for its own labels, a supervisor voids a number (it is dead)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import ShippingSettings
from app.server.access.auth import Principal, Role
from app.server.api.deps import DbDep, SessionDep, StationDep, SupervisorDep, require
from app.server.db.tx import run_write
from app.server.shipping import numbers
from app.server.shipping.models import OPEN, IssuedNumber, NumberBlock, NumberRange
from app.server.shipping.number_schemas import (
    BlockLeaseIn,
    BlockOut,
    IssuedOut,
    IssueIn,
    RangeOut,
    RangesOut,
    VoidIn,
)
from app.server.shipping.ranges import load_range, scheme_of
from app.server.stations import registry as st

#: stations send JSON bodies without a Content-Type header (sync.client posts `content=`)
router = APIRouter(prefix="/numbers", tags=["numbers"], strict_content_type=False)

#: who makes labels on the server: stations (for live carriers), supervisors and integrations
IssuerDep = Annotated[Principal, Depends(require(Role.STATION, Role.SUPERVISOR, Role.INTEGRATION))]


def _shipping(request: Request) -> ShippingSettings:
    shipping: ShippingSettings = request.app.state.shipping
    return shipping


def _issued(row: IssuedNumber) -> IssuedOut:
    return IssuedOut(
        kind=row.kind, number=row.text, serial=row.number, parcel_ref=row.parcel_ref, state=row.state
    )


@router.get("", response_model=RangesOut)
def list_ranges(session: SessionDep, _caller: SupervisorDep) -> RangesOut:
    """Every stored range with its counter and how many blocks are open."""
    open_blocks = dict(
        session.execute(
            select(NumberBlock.range_kind, func.count())
            .where(NumberBlock.state == OPEN)
            .group_by(NumberBlock.range_kind)
        )
        .tuples()
        .all()
    )
    rows = session.scalars(select(NumberRange).order_by(NumberRange.kind)).all()
    return RangesOut(
        ranges=[
            RangeOut(
                kind=r.kind,
                scheme=r.scheme,
                params=r.params,
                first=r.first,
                last=r.last,
                next=r.next,
                open_blocks=open_blocks.get(r.kind, 0),
            )
            for r in rows
        ]
    )


@router.post("/{kind}/blocks", response_model=BlockOut, status_code=201)
def lease(kind: str, body: BlockLeaseIn, request: Request, db: DbDep, caller: StationDep) -> BlockOut:
    """Lease the next block of range `kind` to the station's replica; blocks never overlap, also not
    between two server processes, and a retired replica gets none (409 replica_retired)."""
    st.authorize_station(caller, body.station_id)
    size = body.size or _shipping(request).block_size

    def work(session: Session) -> BlockOut:
        st.load_replica(session, body.station_id, body.replica_id, lock=False)
        block = numbers.lease_block(session, kind, body.replica_id, size)
        rng = load_range(session, kind)
        scheme = scheme_of(rng)
        return BlockOut(
            block_id=block.id, kind=kind, holder=block.holder, state=block.state, scheme=rng.scheme,
            params=rng.params, first=block.first, last=block.last, first_number=scheme.issue(block.first),
            last_number=scheme.issue(block.last),
        )  # fmt: skip

    return run_write(db, work)


@router.post("/{kind}", response_model=IssuedOut, status_code=201)
def issue(kind: str, body: IssueIn, request: Request, db: DbDep, _caller: IssuerDep) -> IssuedOut:
    """The next number of range `kind` for a label the server makes (answered after COMMIT)."""
    block_size = _shipping(request).server_block_size

    def work(session: Session) -> IssuedOut:
        return _issued(
            numbers.issue_from_server(session, kind, parcel_ref=body.parcel_ref, block_size=block_size)
        )

    return run_write(db, work)


@router.post("/{kind}/void", response_model=IssuedOut)
def void(kind: str, body: VoidIn, db: DbDep, _caller: SupervisorDep) -> IssuedOut:
    """Void a number (its label was voided): it is dead, never issued again. Idempotent."""
    return run_write(db, lambda session: _issued(numbers.void(session, kind, body.number, body.reason)))
