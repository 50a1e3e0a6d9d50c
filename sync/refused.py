"""What a station says when the server refuses its credential (401/403), in the operator's words.

The server's error bodies name the token's role and name, and the station a replica belongs to
(app.server.stations.registry, app.server.api.deps); this turns them into one sentence that says what is
wrong and the command that mends it, for the status bar and the headless JSON.
"""

from __future__ import annotations

from typing import Any


def make_token(station_id: str) -> str:
    """The command an administrator runs for this station's token."""
    return f"aisle token create --role station --name {station_id}"


def token_problem(status: int, body: dict[str, Any], station_id: str) -> str:
    """The sentence for a 401/403 answer with error body `body` to station `station_id`."""
    fix = f"make one with {make_token(station_id)}"
    if status == 401:
        if body.get("reason") == "missing":
            return f"no station token is set: {fix} and set [station] token"
        return f"the server does not know this token (unknown or revoked): {fix}"
    role, name = body.get("token_role"), body.get("token_name")
    if (other := body.get("replica_station")) and other != station_id:
        return (
            f"this database belongs to station {other}, not {station_id}: start {other} on it, or give "
            f"{station_id} a database of its own"
        )
    if role == "station" and name != station_id:
        return f"this token is for station {name or '(no name)'}, not {station_id}: {fix}"
    if role and role not in ("station", "admin"):
        return f"this token has role {role}, not station: {fix}"
    message = str(body.get("message") or "").strip()
    return f"the server refuses this station's token ({status}{': ' + message if message else ''})"
