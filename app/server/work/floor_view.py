"""Read models for the supervisor: every station's sync health (S13), work with its leases, the exception
queue; and acknowledging an exception."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.work import LineStatus
from app.server.db.base import utcnow
from app.server.errors import not_found
from app.server.stations.models import Replica, Station
from app.server.stations.registry import last_contact
from app.server.work.models import FloorException, WorkLine, WorkOrder, WorkUnit
from app.server.work.schemas import ExceptionOut, StationOut, WorkLineOut, WorkUnitOut


def is_online(station: Station | None, now: float, online_s: int) -> bool:
    contact = last_contact(station) if station else None
    return contact is not None and now - contact.timestamp() <= online_s


def stations(session: Session, now: float, online_s: int) -> list[StationOut]:
    """Every station with its newest replica, held leases and open exceptions."""
    replicas: dict[str, Replica] = {}
    for r in session.scalars(select(Replica).order_by(Replica.created_at, Replica.replica_id)):
        replicas[r.station_id] = r  # the newest replica of each station wins
    held = {
        row.holder: row
        for row in session.execute(
            select(
                WorkLine.holder,
                func.count().label("n"),
                func.min(WorkLine.leased_at).label("since"),
                func.max(WorkLine.expires_at).label("expires"),
            )
            .where(WorkLine.holder.is_not(None), WorkLine.status == LineStatus.OPEN.value)
            .group_by(WorkLine.holder)
        )
    }
    open_ex: dict[str, dict[str, int]] = defaultdict(dict)
    for station_id, kind, n in session.execute(
        select(FloorException.station_id, FloorException.kind, func.count())
        .where(FloorException.acknowledged.is_(False))
        .group_by(FloorException.station_id, FloorException.kind)
    ):
        open_ex[station_id][kind] = n
    # events received = the sum of the station's replicas' last_seq, as each replica's seqs have no gaps (I3);
    # counting sync_events rows would read the whole event history on every refresh
    events = {
        station_id: int(total or 0)
        for station_id, total in session.execute(
            select(Replica.station_id, func.sum(Replica.last_seq)).group_by(Replica.station_id)
        )
    }
    out = []
    for st in session.scalars(select(Station).order_by(Station.station_id)):
        rep, h = replicas.get(st.station_id), held.get(st.station_id)
        out.append(
            StationOut(
                station_id=st.station_id,
                online=is_online(st, now, online_s),
                last_contact_at=last_contact(st),
                last_push_at=st.last_push_at,
                last_pull_at=st.last_pull_at,
                cursor=st.last_cursor,
                replica_id=rep.replica_id if rep else None,
                last_seq=rep.last_seq if rep else 0,
                acked_events=events.get(st.station_id, 0),
                outbox_depth=st.outbox_depth,
                oldest_unacked_age_s=st.oldest_unacked_age_s,
                db_bytes=st.db_bytes,
                app_version=st.app_version,
                clock_offset_s=st.clock_offset_s,
                open_conflicts=open_ex[st.station_id].get("sync_conflict", 0),
                open_exceptions=sum(open_ex[st.station_id].values()),
                current_operator=st.current_operator,
                current_order=st.current_order,
                held_lines=h.n if h else 0,
                held_since=h.since if h else None,
                lease_expires_at=h.expires if h else None,
            )
        )
    return out


def work_units(
    session: Session,
    now: float,
    online_s: int,
    *,
    status: list[str] | None = None,
    station_id: str | None = None,
    held: bool | None = None,
    limit: int = 100,
) -> list[WorkUnitOut]:
    """Work units with their lines, leases and whether each holder is online (highest priority first)."""
    stmt = select(WorkUnit).order_by(WorkUnit.priority_rank.desc(), WorkUnit.id).limit(limit)
    if status:
        stmt = stmt.where(WorkUnit.status.in_(status))
    if station_id:
        stmt = stmt.where(WorkUnit.id.in_(select(WorkLine.work_id).where(WorkLine.holder == station_id)))
    if held is not None:
        has = select(WorkLine.work_id).where(
            WorkLine.holder.is_not(None), WorkLine.status == LineStatus.OPEN.value
        )
        stmt = stmt.where(WorkUnit.id.in_(has) if held else WorkUnit.id.not_in(has))
    units = list(session.scalars(stmt))
    ids = [u.id for u in units]
    lines: dict[int, list[WorkLine]] = defaultdict(list)
    for ln in session.scalars(
        select(WorkLine).where(WorkLine.work_id.in_(ids)).order_by(WorkLine.sequence, WorkLine.id)
    ):
        lines[ln.work_id].append(ln)
    orders: dict[int, list[int]] = defaultdict(list)
    for wo in session.scalars(select(WorkOrder).where(WorkOrder.work_id.in_(ids)).order_by(WorkOrder.id)):
        orders[wo.work_id].append(wo.order_id)
    holders = {ln.holder for lns in lines.values() for ln in lns if ln.holder}
    st = {s.station_id: s for s in session.scalars(select(Station).where(Station.station_id.in_(holders)))}
    return [
        WorkUnitOut(
            work_id=u.id,
            kind=u.kind,
            status=u.status,
            priority_rank=u.priority_rank,
            station_id=u.station_id,
            operator=u.operator,
            claimed_at=u.claimed_at,
            orders=orders[u.id],
            lines=[
                line_out(ln, is_online(st.get(ln.holder), now, online_s) if ln.holder else None)
                for ln in lines[u.id]
            ],
        )
        for u in units
    ]


def line_out(ln: WorkLine, holder_online: bool | None = None) -> WorkLineOut:
    return WorkLineOut(
        line_id=ln.id,
        order_id=ln.order_id,
        sku=ln.sku,
        location=ln.location,
        lot=ln.lot,
        qty=ln.qty,
        picked=ln.picked,
        sequence=ln.sequence,
        status=ln.status,
        holder=ln.holder,
        holder_online=holder_online,
        lease_token=ln.lease_token,
        leased_at=ln.leased_at,
        expires_at=ln.expires_at,
        revoked_at=ln.revoked_at,
        revoked_reason=ln.revoked_reason,
    )


def exception_out(e: FloorException) -> ExceptionOut:
    return ExceptionOut.model_validate(e, from_attributes=True)


def acknowledge(session: Session, exception_id: int, actor: str) -> FloorException:
    """Mark an exception as seen and handled (idempotent)."""
    row = session.get(FloorException, exception_id, with_for_update=True)
    if row is None:
        raise not_found("Exception", exception_id, "List them with GET /api/v1/exceptions.")
    if not row.acknowledged:
        row.acknowledged, row.acknowledged_at, row.acknowledged_by = True, utcnow(), actor[:100]
    return row


def now_dt(now: float) -> datetime:
    return datetime.fromtimestamp(now, UTC)
