"""One `Carrier` per account of carriers.toml (no karrio import: each carrier loads it on first need)."""

from __future__ import annotations

from app.carriers.config import CarriersConfig
from app.carriers.generic import GenericCarrier, NextTracking
from app.carriers.live import LiveCarrier
from app.carriers.port import Address, Carrier


def build_carriers(
    config: CarriersConfig, ship_from: Address, next_tracking: NextTracking
) -> dict[str, Carrier]:
    """The carriers by account code: generic ones number parcels with `next_tracking`, live ones through
    their karrio plugin."""
    out: dict[str, Carrier] = {}
    for account in config.accounts:
        if account.kind == "generic":
            out[account.code] = GenericCarrier(account, config.origin_country, next_tracking)
        else:
            out[account.code] = LiveCarrier(account, ship_from)
    return out
