"""/carriers (accounts and services, no credentials) and /shipping/choose (the service choice), read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.carriers.config import CarriersConfig
from app.server.api.deps import CallerDep
from app.server.clock import NowDep
from app.server.errors import ApiError
from app.server.shipping.carriers import choose_service, local_time
from app.server.shipping.choice_schemas import CarriersOut, ChoiceOut, ChooseIn, carrier_out, choice_out

router = APIRouter(tags=["shipping"])


def _config(request: Request) -> CarriersConfig | None:
    config: CarriersConfig | None = getattr(request.app.state, "carriers", None)
    return config


@router.get("/carriers", response_model=CarriersOut)
def list_carriers(request: Request, _caller: CallerDep) -> CarriersOut:
    """Every carrier account of carriers.toml with its zones and services."""
    config = _config(request)
    if config is None:
        return CarriersOut(carriers=[], preference=[], timezone=None)
    return CarriersOut(
        carriers=[carrier_out(a) for a in config.accounts],
        preference=list(config.preference),
        timezone=str(config.timezone),
    )


@router.post("/shipping/choose", response_model=ChoiceOut)
def choose(body: ChooseIn, request: Request, now: NowDep, _caller: CallerDep) -> ChoiceOut:
    """The carrier service for a parcel, with every candidate's price and why each lost (nothing saved)."""
    config = _config(request)
    if config is None or not config.sheets:
        raise ApiError(409, "no_carriers", "No carrier has a rate sheet: see [shipping] carriers_file.")
    if body.at is None:
        at = local_time(config, now)
    elif body.at.tzinfo is not None:
        at = body.at.astimezone(config.timezone).replace(tzinfo=None)
    else:
        at = body.at
    parcel, destination = body.parcel.to_domain(), body.destination.to_domain()
    choice = choose_service(config, parcel, destination, body.request.to_domain(), at)
    return choice_out(choice, at)
