"""A station database restored from an old copy re-keys itself (sync.rekey) and says so when it registers
its new replica: the supervisor gets one floor exception for it, although sync goes on by itself, and the
retired replica's open number blocks are abandoned (the copy may have used numbers the old one never told
of, so none of them is issued again; app/server/shipping)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from app.server.db.base import utcnow
from app.server.shipping.numbers import abandon_blocks
from app.server.stations.models import Replica
from app.server.work.models import FloorException
from sync import schemas as w

log = logging.getLogger("aisle.server.sync")

KIND = "database_restored"


def note_rekey(session: Session, station_id: str, replica_id: str, retired: w.RetiredReplica) -> None:
    """Raise the exception for a new replica that took over from `retired` (call once, when it is created),
    and abandon the retired replica's open number blocks. A retired replica this station never had is
    ignored: the credential speaks only for its own."""
    old = session.get(Replica, retired.replica_id)
    if old is None or old.station_id != station_id:
        return
    abandoned = abandon_blocks(session, retired.replica_id)
    message = (
        f"Station {station_id}: its database was restored from a copy ({retired.reason}: the server has seq "
        f"{old.last_seq} of replica {retired.replica_id[:8]}, the copy reached {retired.last_seq}). It "
        f"re-sent {retired.resent} unsynced scan(s) as replica {replica_id[:8]}; sync goes on by itself. "
        "Check the station's disk and how it came to be restored."
        + (f" Its {abandoned} open number block(s) were abandoned." if abandoned else "")
    )
    log.warning("%s", message)
    session.add(
        FloorException(
            kind=KIND,
            station_id=station_id,
            operator="",
            message=message[:1000],
            data={
                "replica_id": replica_id,
                "retired_replica_id": retired.replica_id,
                "reason": retired.reason,
                "retired_last_seq": retired.last_seq,
                "server_last_seq": old.last_seq,
                "resent": retired.resent,
                "abandoned_number_blocks": abandoned,
            },
            acknowledged=False,
            acknowledged_by="",
            created_at=utcnow(),
        )
    )
