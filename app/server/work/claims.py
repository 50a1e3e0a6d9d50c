"""Claims: a picker station takes the next work unit (docs/sync.md S8); packers: services.pack_claims.

PostgreSQL: the next unit is locked with `SELECT … FOR UPDATE SKIP LOCKED`, so many stations claiming at once
each get a different unit without waiting for one another; every lease change on a unit's lines happens
under that unit's row lock. SQLite: the write transaction began with BEGIN IMMEDIATE, so claims run one at
a time. Either way a line is held by at most one station.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from app.domain.work import LineStatus, WorkUnitStatus
from app.server.catalogue.models import Product
from app.server.catalogue.refdata import locations_by_code, products_by_sku
from app.server.stations.registry import append_changes, ensure_station
from app.server.work.models import WorkLine, WorkUnit
from sync import schemas as w
from sync.ingest import leases
from sync.ingest.leases import at

#: how many locked-but-empty candidates a claim skips before it says there is no work
_ATTEMPTS = 10


def work_grant(session: Session, unit: WorkUnit, lines: Sequence[WorkLine]) -> w.WorkGrant:
    """The wire form of `lines` of `unit` held by a station (qty is what is still to pick)."""
    names = dict(
        session.execute(
            select(Product.id, Product.name).where(Product.id.in_({ln.product_id for ln in lines}))
        )
        .tuples()
        .all()
    )
    ordered = sorted(lines, key=lambda ln: (ln.sequence, ln.location, ln.id))
    return w.WorkGrant(
        work_id=str(unit.id),
        kind="cluster" if unit.kind == "cluster" else "single",
        orders=[str(o) for o in sorted({ln.order_id for ln in ordered})],
        lines=[
            w.LineGrant(
                line_id=str(ln.id),
                order_id=str(ln.order_id),
                sku=ln.sku,
                product_name=names.get(ln.product_id, ln.sku),
                location=ln.location,
                qty=ln.qty - ln.picked,
                sequence=ln.sequence,
                lot=ln.lot or None,
                token=ln.lease_token or 0,
                expires_at=ln.expires_at.timestamp() if ln.expires_at else 0.0,
            )
            for ln in ordered
        ],
        products=products_by_sku(session, [ln.sku for ln in ordered]),
        locations=locations_by_code(session, [ln.location for ln in ordered]),
    )


def held_work(
    session: Session, station_id: str, lines: Sequence[WorkLine] | None = None
) -> list[w.WorkGrant]:
    """Every open line the station holds, as one grant per work unit (for reset snapshots)."""
    if lines is None:
        lines = list(
            session.scalars(
                select(WorkLine).where(
                    WorkLine.holder == station_id, WorkLine.status == LineStatus.OPEN.value
                )
            )
        )
    by_unit: dict[int, list[WorkLine]] = defaultdict(list)
    for ln in lines:
        by_unit[ln.work_id].append(ln)
    units = {u.id: u for u in session.scalars(select(WorkUnit).where(WorkUnit.id.in_(by_unit)))}
    return [work_grant(session, units[uid], by_unit[uid]) for uid in sorted(by_unit)]


def _next_unit(
    session: Session, now: float, grace_s: float, skip: set[int], max_lines: int | None = None
) -> WorkUnit | None:
    """The next unit to claim (locked, skipping units other claims hold), honouring `max_lines`."""
    free = (
        WorkLine.work_id == WorkUnit.id,
        WorkLine.status == LineStatus.OPEN.value,
        or_(WorkLine.holder.is_(None), WorkLine.expires_at < at(now - grace_s)),
    )
    stmt = (
        select(WorkUnit)
        .where(
            WorkUnit.status.in_((WorkUnitStatus.OPEN.value, WorkUnitStatus.ACTIVE.value)),
            exists().where(*free),
        )
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if skip:
        stmt = stmt.where(WorkUnit.id.not_in(skip))
    by_priority = (WorkUnit.priority_rank.desc(), WorkUnit.id)
    if max_lines is None:
        return session.scalars(stmt.order_by(*by_priority)).first()
    size = select(func.count()).select_from(WorkLine).where(*free).correlate(WorkUnit).scalar_subquery()
    fitting = session.scalars(stmt.where(size <= max_lines).order_by(*by_priority)).first()
    return fitting or session.scalars(stmt.order_by(size, *by_priority)).first()


def claim(
    session: Session,
    station_id: str,
    operator: str,
    now: float,
    lease_s: float,
    grace_s: float,
    max_lines: int | None = None,
) -> w.WorkGrant | None:
    """Give the station the highest-priority unit with lines nobody may still pick; None when none waits.

    With `max_lines`, the highest-priority unit with at most that many lines to pick; when no waiting unit is
    that small, the smallest one (a unit is never split: its orders' totes travel together on one cart).
    """
    ensure_station(session, station_id)
    tried: set[int] = set()
    for _ in range(_ATTEMPTS):
        unit = _next_unit(session, now, grace_s, tried, max_lines)
        if unit is None:
            return None
        tried.add(unit.id)
        lines = session.scalars(
            select(WorkLine).where(WorkLine.work_id == unit.id).order_by(WorkLine.id).with_for_update()
        ).all()
        free = [ln for ln in lines if leases.claimable(ln, now, grace_s)]
        if not free:
            continue
        leases.notify_revoked(session, leases.grant(session, free, station_id, now, lease_s))
        unit.status, unit.station_id, unit.operator = WorkUnitStatus.ACTIVE.value, station_id, operator
        unit.claimed_at = at(now)
        session.flush()
        grant = work_grant(session, unit, free)
        # also in the pull log, so a station that lost this response still learns of its leases (I5)
        append_changes(session, station_id, [("lease.granted", w.LeaseGranted(work=grant).model_dump())])
        return grant
    return None
