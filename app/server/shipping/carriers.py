"""The carrier accounts the server runs with, read once at start-up, and the service choice on them.

Nothing here loads karrio: listing accounts and choosing a service use the rate sheets only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from app.carriers.config import CarrierConfigError, CarriersConfig, load_carriers
from app.config import SettingsError, ShippingSettings
from app.domain.shipping.choice import Choice, ShippingRequest, choose
from app.domain.shipping.sheets import Destination, Parcel

log = logging.getLogger("aisle.server")


def load_server_carriers(settings: ShippingSettings) -> CarriersConfig | None:
    """The accounts of `[shipping] carriers_file`; None when it is empty or the file is absent (logged).
    A file that is wrong stops start-up: SettingsError names the key or the environment variable."""
    if not settings.carriers_file:
        return None
    path = Path(settings.carriers_file)
    if not path.exists():
        log.warning("no carriers file at %s ([shipping] carriers_file): no carriers configured", path)
        return None
    try:
        return load_carriers(path)
    except CarrierConfigError as exc:
        raise SettingsError(str(exc)) from None


def local_time(config: CarriersConfig, epoch_seconds: float) -> datetime:
    """The warehouse's wall-clock time (the cut-offs are in it) for a server clock reading."""
    return datetime.fromtimestamp(epoch_seconds, tz=config.timezone).replace(tzinfo=None)


def choose_service(
    config: CarriersConfig, parcel: Parcel, destination: Destination, request: ShippingRequest, at: datetime
) -> Choice:
    """`choose` over every account's rate sheet with the file's preference order."""
    return choose(parcel, destination, request, at, config.sheets, config.preference)
