"""The supervisor's view of the central server over HTTP (app.station.services.floor.SupervisorSource).

Reads stations, open orders and exceptions; acknowledges, revokes leases, holds, releases and re-prioritises.
Field names are read leniently (lists or `{"items": […]}` pages, ages or timestamps) so the view keeps
working while the server's endpoints grow.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any

import httpx

from app.station.services.floor import ExceptionRow, FloorView, OrderRow, StationRow, SupervisorError

OPEN_STATUSES = ("on_hold", "backordered", "accepted", "released", "picking", "picked", "packing", "packed")


class HttpSupervisorSource:
    """SupervisorSource over an `httpx.Client` whose base URL is the server and which carries the token."""

    def __init__(self, http: httpx.Client, now: Any = time.time) -> None:
        self.http = http
        self.now = now

    @classmethod
    def connect(cls, server_url: str, token: str = "", timeout_s: float = 5.0) -> HttpSupervisorSource:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return cls(
            httpx.Client(base_url=server_url, headers=headers, timeout=httpx.Timeout(timeout_s, connect=2.0))
        )

    @property
    def server_url(self) -> str:
        """The server's base URL."""
        return str(self.http.base_url)

    # --- reads ----------------------------------------------------------------------------------------

    def floor(self) -> FloorView:
        body = self._get("/api/v1/stations")
        now = _server_now(body) or self.now()  # ages on the server's clock: stations' clocks may be off
        stations = [self._station(s, now) for s in _items(body, "stations")]
        orders = [
            self._order(o, now)
            for o in _items(self._get("/api/v1/orders", params={"status": list(OPEN_STATUSES), "limit": 200}))
        ]
        exceptions = [self._exception(e, now) for e in _items(self._get("/api/v1/exceptions"))]
        return FloorView(stations, orders, exceptions)

    @staticmethod
    def _station(s: dict[str, Any], now: float) -> StationRow:
        return StationRow(
            station_id=str(s.get("station_id") or s.get("id") or "?"),
            role=str(s.get("role") or ""),
            operator=str(s.get("current_operator") or s.get("operator") or ""),
            current_order=str(s.get("current_order") or s.get("order_id") or ""),
            queue_depth=int(s.get("queue_depth") or s.get("held_lines") or 0),
            last_contact_s=_age(s, now, "last_contact_s", "last_contact_at", "last_seen_at"),
            online=bool(s.get("online", False)),
            unsynced=int(s.get("unsynced") or s.get("outbox_depth") or 0),
            oldest_unsynced_s=_number(s.get("oldest_unsynced_s", s.get("oldest_unacked_age_s"))),
            app_version=str(s.get("app_version") or ""),
            db_bytes=_whole(s.get("db_bytes")),
        )

    @staticmethod
    def _order(o: dict[str, Any], now: float) -> OrderRow:
        promised = o.get("promised_ship_date")
        late = bool(o.get("late", False))
        if not late and promised:
            late = date.fromisoformat(str(promised)[:10]) < date.fromtimestamp(now)
        return OrderRow(
            order_id=str(o.get("id") or o.get("order_id")),
            status=str(o.get("status") or ""),
            age_s=_age(o, now, "age_s", "created_at") or 0.0,
            priority=str(o.get("priority") or "normal"),
            late=late,
        )

    @staticmethod
    def _exception(e: dict[str, Any], now: float) -> ExceptionRow:
        return ExceptionRow(
            exception_id=str(e.get("id") or e.get("exception_id")),
            kind=str(e.get("kind") or e.get("type") or ""),
            message=str(e.get("message") or ""),
            station_id=str(e.get("station_id") or ""),
            order_id=str(e.get("order_id") or ""),
            lease_id=str(e.get("lease_id") or e.get("line_id") or ""),
            age_s=_age(e, now, "age_s", "created_at") or 0.0,
            acknowledged=bool(e.get("acknowledged") or e.get("acked_at")),
        )

    # --- actions --------------------------------------------------------------------------------------

    def acknowledge(self, exception_id: str) -> str:
        self._post(f"/api/v1/exceptions/{exception_id}/ack")
        return f"Exception {exception_id} acknowledged."

    def revoke_lease(self, lease_id: str) -> str:
        self._post(f"/api/v1/leases/{lease_id}/revoke")
        return f"Lease {lease_id} revoked: the line goes back to the queue."

    def hold_order(self, order_id: str, reason: str) -> str:
        self._post(f"/api/v1/orders/{order_id}/hold", {"reason": reason})
        return f"Order {order_id} on hold ({reason})."

    def release_order(self, order_id: str) -> str:
        self._post(f"/api/v1/orders/{order_id}/release")
        return f"Order {order_id} released."

    def set_priority(self, order_id: str, priority: str) -> str:
        self._post(f"/api/v1/orders/{order_id}/priority", {"priority": priority})
        return f"Order {order_id} is now {priority} priority."

    # --- HTTP -----------------------------------------------------------------------------------------

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._call("GET", path, params=params)

    def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call("POST", path, json=body)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            resp = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise SupervisorError(f"cannot reach the server ({type(exc).__name__}: {exc})") from None
        if resp.status_code >= 400:
            raise SupervisorError(f"{method} {path}: {resp.status_code} {_detail(resp)}")
        return resp.json() if resp.content else None


def _items(body: Any, key: str = "items") -> list[dict[str, Any]]:
    """The rows of a list response: a bare list, or a page that holds them under `key`."""
    if isinstance(body, dict):
        body = body.get(key, [])
    return [x for x in body or [] if isinstance(x, dict)]


def _server_now(body: Any) -> float | None:
    value = body.get("server_now") if isinstance(body, dict) else None
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _whole(value: Any) -> int | None:
    """A whole number the server may not send yet (an older server): None then."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _age(row: dict[str, Any], now: float, seconds_key: str, *time_keys: str) -> float | None:
    """Seconds since an event: given directly (`seconds_key`) or as an ISO timestamp."""
    if (direct := _number(row.get(seconds_key))) is not None:
        return direct
    for key in time_keys:
        if value := row.get(key):
            try:
                return max(0.0, now - datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
            except ValueError:
                continue
    return None


def _detail(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:200]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("message") or body.get("error") or body)[:200]
    return str(body)[:200]
