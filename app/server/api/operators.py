"""/operators: the people on the floor (badge, roles, PIN)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from app.server.access.models import Operator
from app.server.access.operators import upsert_operator
from app.server.access.schemas import OperatorIn, OperatorOut
from app.server.api.deps import DbDep, SessionDep, SupervisorDep
from app.server.db.tx import run_write

router = APIRouter(prefix="/operators", tags=["operators"])


def _out(op: Operator) -> OperatorOut:
    return OperatorOut(badge=op.badge, name=op.name, roles=list(op.roles), active=op.active)


@router.post("", status_code=201, response_model=OperatorOut)
def post_operator(body: OperatorIn, db: DbDep, _caller: SupervisorDep, response: Response) -> OperatorOut:
    """Create an operator, or update the one with this badge (200). The PIN is stored hashed."""
    op, created = run_write(
        db,
        lambda s: upsert_operator(
            s, badge=body.badge, name=body.name, roles=[r.value for r in body.roles], pin=body.pin
        ),
        retry_integrity=True,
    )
    if not created:
        response.status_code = 200
    return _out(op)


@router.get("", response_model=list[OperatorOut])
def list_operators(session: SessionDep, _caller: SupervisorDep) -> list[OperatorOut]:
    """Every operator, by badge."""
    return [_out(op) for op in session.scalars(select(Operator).order_by(Operator.badge))]
