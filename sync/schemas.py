"""The station ↔ server wire contract (docs/sync.md) as pydantic models, used by client and server.

Endpoints (all under /api/v1, bearer token with the station role; `station_id`/`replica_id` must match it):

    POST sync/register   RegisterRequest  → 200 RegisterResponse | 409 WrongServer
    POST sync/push       PushRequest      → 200 PushResponse | 409 GapError | 409 SeqReuseMismatch
                                            | 409 UnknownReplica | 426 UpgradeRequired
    GET  sync/pull?station_id&replica_id&cursor → 200 PullResponse (reset=True with a snapshot when the cursor
                                            is unknown or compacted) | 409 UnknownReplica
    POST work/claim      ClaimRequest     → 200 ClaimResponse (work=None when nothing waits)
    POST work/pack       PackClaimRequest → 200 PackClaimResponse (order=None when the label is unknown)
"""

from __future__ import annotations

import hashlib
import json
import math
from json.encoder import encode_basestring as _string  # the encoder's escaping with ensure_ascii=False
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from sync.bodies import NoneAs

PROTOCOL_VERSION = 1
MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 1 << 20


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


#: the bounds of the server's key columns: a value past them is a malformed request (422), never a 500
BIGINT_MAX = 2**63 - 1
Key = Annotated[str, Field(min_length=1, max_length=64)]


class LeaseRef(_Wire):
    """The lease an event acts under: applied only while `token` is the line's current token (S8)."""

    line_id: Key
    token: int = Field(ge=0, le=BIGINT_MAX)


class PushEvent(_Wire):
    seq: int = Field(ge=1, le=BIGINT_MAX)
    event_id: Key
    type: Key
    v: int = Field(ge=1, le=2**31 - 1)
    lease: LeaseRef | None = None
    payload: dict[str, Any]
    created_wall: float
    sha256: Key


class PushRequest(_Wire):
    station_id: Key
    replica_id: Key
    app_version: str
    outbox_depth: Annotated[int, NoneAs(0)] = 0  # null as 0; no model validator on the push path
    oldest_unacked_age_s: float | None = None
    db_bytes: int | None = Field(
        None, ge=0, le=BIGINT_MAX
    )  # the station database's size; older stations omit it
    events: list[PushEvent]


Outcome = Literal["accepted", "accepted_conflict", "rejected_recorded"]


class PushResult(_Wire):
    seq: int
    outcome: Outcome
    reason: str | None = None


class PushResponse(_Wire):
    """`acked_through`: every seq ≤ it is committed on the server (S1); only these may be marked acked."""

    acked_through: int
    expected_next: int
    results: list[PushResult] = []
    server_now: float


class GapError(_Wire):
    error: Literal["gap"] = "gap"
    expected_next: int


class SeqReuseMismatch(_Wire):
    error: Literal["seq_reuse_mismatch"] = "seq_reuse_mismatch"
    seq: int


class UpgradeRequired(_Wire):
    error: Literal["upgrade_required"] = "upgrade_required"
    message: str = ""
    event_type: str | None = None
    max_version: int | None = None


class UnknownReplica(_Wire):
    error: Literal["unknown_replica"] = "unknown_replica"
    replica_id: str


class RetiredReplica(_Wire):
    """The replica a station retired for this one (its database was restored from a copy): told at register,
    so the supervisor hears of it. `resent` unacknowledged events were moved to the new replica."""

    replica_id: str
    reason: str  # server_ahead | seq_reuse_mismatch
    last_seq: int
    resent: int


class WrongServer(_Wire):
    """The station's database belongs to another server (`server_id` is this one's): nothing registered."""

    error: Literal["wrong_server"] = "wrong_server"
    message: str = ""
    server_id: str


class RegisterRequest(_Wire):
    """`retired`: the replica this one replaces, when the station re-keyed a restored database.
    `server_id`: the server the station's database belongs to, once it knows (an older station sends none);
    another server answers 409 WrongServer and registers nothing."""

    station_id: str
    replica_id: str
    app_version: str
    retired: RetiredReplica | None = None
    server_id: str | None = None


class RegisterResponse(_Wire):
    """`expected_next` is 1 for a new replica, or the server's last_seq + 1 after a server restore.
    `server_id` is the server's identity, made with its database (None from an older server)."""

    replica_id: str
    expected_next: int
    server_now: float
    server_id: str | None = None


# ---- reference data and work, as the server sends them ----


class BarcodeWire(_Wire):
    code: str
    units: int = 1


class ProductWire(_Wire):
    sku: str
    name: str
    barcodes: list[BarcodeWire] = []
    weight_g: int = 0
    dims_mm: tuple[int, int, int] = (0, 0, 0)
    lot_tracked: bool = False
    expiry_tracked: bool = False


class LocationWire(_Wire):
    code: str
    zone: str = ""
    aisle: str = ""
    bay: str = ""
    level: str = ""
    sequence: int = 0


class OperatorWire(_Wire):
    badge: str
    name: str
    roles: list[str]
    pin_hash: str = ""  # scrypt$SALT$HASH (app.domain.pins.hash_pin)


class LineGrant(_Wire):
    line_id: str
    order_id: str
    sku: str
    product_name: str
    location: str
    qty: int = Field(ge=1)
    sequence: int
    lot: str | None = None
    token: int
    expires_at: float  # server clock, seconds since the epoch


class WorkGrant(_Wire):
    work_id: str
    kind: Literal["single", "cluster"]
    orders: list[str]
    lines: list[LineGrant]
    products: list[ProductWire] = []
    locations: list[LocationWire] = []


class PackLineWire(_Wire):
    sku: str
    product_name: str
    qty: int
    weight_g: int = 0
    dims_mm: tuple[int, int, int] = (0, 0, 0)


class PackGrant(_Wire):
    order_id: str
    tote: str | None = None
    lines: list[PackLineWire]
    products: list[ProductWire] = []


# ---- pull ----


class LeaseGranted(_Wire):
    kind: Literal["lease.granted"] = "lease.granted"
    work: WorkGrant


class LeaseRenewed(_Wire):
    """A lease kept by this station with a new expiry (sent on every pull for every held line)."""

    kind: Literal["lease.renewed"] = "lease.renewed"
    line_id: str
    token: int
    expires_at: float


class LeaseRevoked(_Wire):
    kind: Literal["lease.revoked"] = "lease.revoked"
    line_id: str
    token: int
    reason: str = ""


class EventOutcome(_Wire):
    """A pushed event's outcome. `event_id` names the event when the server sends it: after a re-key two
    replicas of one station database share seq numbers, so the station matches by it first."""

    kind: Literal["event.outcome"] = "event.outcome"
    seq: int
    outcome: Outcome
    reason: str | None = None
    event_id: str | None = None


class ProductChanged(_Wire):
    kind: Literal["product.upsert"] = "product.upsert"
    product: ProductWire


class LocationChanged(_Wire):
    kind: Literal["location.upsert"] = "location.upsert"
    location: LocationWire


class OperatorChanged(_Wire):
    kind: Literal["operator.upsert"] = "operator.upsert"
    operator: OperatorWire


class OperatorRemoved(_Wire):
    kind: Literal["operator.removed"] = "operator.removed"
    badge: str


Change = Annotated[
    LeaseGranted
    | LeaseRenewed
    | LeaseRevoked
    | EventOutcome
    | ProductChanged
    | LocationChanged
    | OperatorChanged
    | OperatorRemoved,
    Field(discriminator="kind"),
]


class Snapshot(_Wire):
    """Everything a station needs after a reset: reference data and its current leases."""

    products: list[ProductWire] = []
    locations: list[LocationWire] = []
    operators: list[OperatorWire] = []
    work: list[WorkGrant] = []


class PullResponse(_Wire):
    cursor: str
    acked_through: int
    server_now: float
    changes: list[Change] = []
    reset: bool = False
    snapshot: Snapshot | None = None
    more: bool = False  # more changes wait: pull again at once with the new cursor
    server_id: str | None = None  # the server's identity (None from an older server), as in RegisterResponse


class ClaimRequest(_Wire):
    station_id: str
    replica_id: str
    operator: str
    max_lines: int | None = Field(None, ge=1, le=10_000)


class ClaimResponse(_Wire):
    work: WorkGrant | None = None
    server_now: float


class PackClaimRequest(_Wire):
    station_id: str
    replica_id: str
    operator: str
    label: str  # a tote code or an order id


class PackClaimResponse(_Wire):
    order: PackGrant | None = None
    server_now: float
    reason: str | None = None


#: the canonical JSON of the digest: sorted keys, no spaces, UTF-8 as is
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """`value` as the digest encodes it (the server stores an event's payload in this form too).

    The text is json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) byte for byte: stations
    and servers of any version must agree on every digest. orjson writes the same text ~8x faster for the
    strings, integers and booleans payloads hold; anything it writes differently, or refuses (integers past
    64 bits, non-text keys, lone surrogates), takes the json module (tests/unit/sync/test_event_digest.py).
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        return _CANONICAL.encode(value)
    return _CANONICAL.encode(value) if _orjson_differs(text) else text


#: what orjson writes differently from the json module: small floats (0.00001 for 1e-05, 2.5e-7 for
#: 2.5e-07) and NaN/Infinity (as null)
_SUSPECTS = ("e-", "0.0000", "null")


def _orjson_differs(text: str) -> bool:
    """True when `text` (orjson's) may hold a value the json module writes differently: one of _SUSPECTS
    where a value starts (after ':', ',', '[' or at the start, past a number's sign and digits). Text inside a
    string may match too (harmless: the json module then writes it); a time-ordered id, which holds "e-" in
    one payload of four, does not, and a regular expression took longer than the json module itself."""
    for suspect in _SUSPECTS:
        at = text.find(suspect)
        while at != -1:
            start = at
            if suspect != "null":
                while start > 0 and text[start - 1] in "0123456789.":
                    start -= 1
                if start > 0 and text[start - 1] == "-":
                    start -= 1
            if start == 0 or text[start - 1] in ":,[":
                return True
            at = text.find(suspect, at + 1)
    return False


def event_sha256(
    event_id: str,
    type_: str,
    v: int,
    lease: tuple[str, int] | None,
    payload: dict[str, Any],
    created_wall: float,
) -> str:
    """The digest both sides compute over an event's content (S2: same seq, different digest → mismatch)."""
    return event_sha256_of(event_id, type_, v, lease, canonical_json(payload), created_wall)


def event_sha256_of(
    event_id: str,
    type_: str,
    v: int,
    lease: tuple[str, int] | None,
    payload_json: str,
    created_wall: float,
) -> str:
    """event_sha256 given the payload already as canonical_json (the server encodes each payload once).

    The canonical text is that of the whole body {created_wall, event_id, lease, payload, type, v} with sorted
    keys. The few fixed fields are written here as the encoder writes them (repr of a finite float, the
    encoder's own string escaping) — a push checks 500 digests, and three encoder calls per event cost more
    than the hashing; anything unusual (a NaN, an int for a float) takes the encoder.
    """
    lease_ok = lease is None or (type(lease[0]) is str and type(lease[1]) is int)
    if type(created_wall) is float and math.isfinite(created_wall) and type(v) is int and lease_ok:
        lease_text = "null" if lease is None else f"[{_string(lease[0])},{lease[1]}]"
        canonical = (
            f'{{"created_wall":{created_wall!r},"event_id":{_string(event_id)},"lease":{lease_text},'
            f'"payload":{payload_json},"type":{_string(type_)},"v":{v}}}'
        )
    else:
        head = _CANONICAL.encode(
            {"created_wall": created_wall, "event_id": event_id, "lease": list(lease) if lease else None}
        )
        tail = _CANONICAL.encode({"type": type_, "v": v})
        canonical = f'{head[:-1]},"payload":{payload_json},{tail[1:]}'
    return hashlib.sha256(canonical.encode()).hexdigest()
