"""A station database belongs to one server (docs/sync.md, "Identities"): the rules, without I/O.

The server's identity is a random id made with its database and carried by register and pull answers. The
station stores the first one it hears. An answer with another id means this database was filled by another
server (another install, a demo database, a re-created server): its work, leases and queue mean nothing to
this one. The station then refuses to mix: the database is set aside whole, unsent scans and all, under
`set_aside_name`, and the station starts clean with a new replica (app.station.store.set_aside).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path


def set_aside_name(path: str | Path, old_server: str, at: float) -> Path:
    """Where a database of server `old_server` goes: `station-ST01.db.server-<id>-<UTC time>.bak`."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at))
    return Path(f"{path}.server-{old_server}-{stamp}.bak")


@dataclass(frozen=True, slots=True)
class SetAside:
    """A database of server `old_server` copied whole to `moved` and emptied for a new replica, because
    server `new_server` answered; `unsent` events (and scans) waited in it and are kept in `moved`."""

    path: str
    moved: str
    old_server: str
    new_server: str
    unsent: int
    old_replica: str
    new_replica: str

    def notice(self) -> str:
        """What the operator and the log are told (the status bar, the headless JSON)."""
        kept = f"its {self.unsent} unsent scan(s) are kept there" if self.unsent else "nothing was unsent"
        return (
            f"database belonged to server {self.old_server}, not this one ({self.new_server}): moved to "
            f"{Path(self.moved).name} ({kept}); started a new database"
        )

    def as_dict(self) -> dict[str, object]:
        """The headless JSON's `set_aside` object."""
        return {
            "file": self.moved,
            "unsent": self.unsent,
            "server_id": self.old_server,
            "new_server_id": self.new_server,
        }
