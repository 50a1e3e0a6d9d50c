"""The events a station records, as frozen dataclasses, and the registry of their wire names (docs/sync.md).

An event is a fact in the past tense; its class name is its wire name (`ItemPicked`). `to_payload()` is the
event's payload as it goes on the wire and into the station's outbox: every field that is not None, dates as
ISO text, tuples as lists. `from_payload(type, payload)` is the way back, for an outbox row or a pushed event.
The pair is exact: the payload of every event recorded so far decodes, and encodes again to the same dict
(and so to the same canonical JSON and the same digest), which the station and the server both rely on.

Besides its own fields, a payload carries who recorded it and from which scan (the `Event` fields: station,
operator, role, scan id and text, source, work unit), stamped on by the station's recorder; an event's own
field of the same name wins (a `ToteAssigned` names its work unit itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar, TypeVar

#: a field's (encode, decode) between dataclass and payload, for the few that are not plain JSON values
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


class UnknownEventType(KeyError):
    """A wire name no event class carries (a newer station, or a damaged row)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """A fact the station recorded. The fields here say who recorded it and from which scan; subclasses add
    what happened. None means absent: it is left out of the payload."""

    #: the wire name (the class name); set by `_register`
    TYPE: ClassVar[str] = ""
    #: the payload version (docs/sync.md S10); every type is at 1
    VERSION: ClassVar[int] = 1
    #: True when the event acts on its `line_id` under that line's lease (the outbox carries the token)
    LEASED: ClassVar[bool] = False
    #: per field that is not a plain JSON value, its (encode, decode)
    CODECS: ClassVar[Mapping[str, Codec]] = {}
    #: per class, its fields in order (set by `_register`)
    FIELDS: ClassVar[tuple[str, ...]] = ()

    station_id: str | None = None
    operator: str | None = None
    role: str | None = None
    scan_id: str | None = None
    scan: str | None = None
    source: str | None = None
    work_id: str | None = None

    @property
    def lease_line_id(self) -> str | None:
        """The line whose lease this event is recorded under, if any."""
        return getattr(self, "line_id", None) if self.LEASED else None

    def to_payload(self) -> dict[str, Any]:
        """The payload on the wire: every field that is not None, encoded by its codec if it has one."""
        out: dict[str, Any] = {}
        codecs = self.CODECS
        for name in self.FIELDS:
            value = getattr(self, name)
            if value is not None:
                codec = codecs.get(name)
                out[name] = codec[0](value) if codec else value
        return out


E = TypeVar("E", bound=type[Event])

#: every event type, by wire name
EVENT_TYPES: dict[str, type[Event]] = {}


def _register(cls: E) -> E:
    name = cls.__name__
    if name in EVENT_TYPES:
        raise ValueError(f"event type {name} is declared twice")
    cls.TYPE = name
    cls.FIELDS = tuple(f.name for f in fields(cls))
    EVENT_TYPES[name] = cls
    return cls


def event_class(type_: str) -> type[Event]:
    """The class of wire name `type_`; UnknownEventType when there is none."""
    try:
        return EVENT_TYPES[type_]
    except KeyError:
        raise UnknownEventType(type_) from None


def from_payload(type_: str, payload: Mapping[str, Any]) -> Event:
    """The event of wire name `type_` with this payload; UnknownEventType for an unknown name, ValueError
    for a key the type does not have, TypeError for a field it needs that is missing."""
    cls = event_class(type_)
    unknown = set(payload) - set(cls.FIELDS)
    if unknown:
        raise ValueError(f"{type_} has no field {', '.join(sorted(unknown))}")
    codecs = cls.CODECS
    values = {k: (codecs[k][1](v) if k in codecs and v is not None else v) for k, v in payload.items()}
    return cls(**values)


_DATE: Codec = (date.isoformat, date.fromisoformat)
_TEXTS: Codec = (list, tuple)


@dataclass(frozen=True, slots=True)
class ToteLine:
    """One line of an order as its tote was closed (a ToteClosed's `lines`)."""

    line_id: str
    sku: str
    picked: int
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "sku": self.sku, "picked": self.picked, "status": self.status}


_TOTE_LINES: Codec = (
    lambda lines: [ln.as_dict() for ln in lines],
    lambda lines: tuple(ToteLine(**ln) for ln in lines),
)


# --- signing in and out -------------------------------------------------------------------------------------


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class OperatorSignedIn(Event):
    """An operator scanned their badge and works in `role`."""

    badge: str
    role: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class OperatorSignedOut(Event):
    """The operator signed out (`badge` None: nobody was signed in)."""

    badge: str | None = None


# --- scans without another effect ---------------------------------------------------------------------------


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRefused(Event):
    """A scan the station refused (`code`, and the message the operator saw); on a line, under its lease."""

    LEASED: ClassVar[bool] = True

    code: str
    message: str
    line_id: str | None = None
    order_id: str | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ScanNoted(Event):
    """A scan whose verdict recorded no other event (every scan reaches the server, docs/sync.md S4)."""

    code: str
    outcome: str
    line_id: str | None = None


# --- picking ------------------------------------------------------------------------------------------------


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ToteAssigned(Event):
    """A tote was scanned for an order of the work unit."""

    work_id: str
    order_id: str
    tote: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LineEvent(Event):
    """An event on one leased line of an order."""

    LEASED: ClassVar[bool] = True

    line_id: str
    order_id: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class LocationConfirmed(LineEvent):
    """The picker scanned the line's location."""

    location: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ItemVerified(LineEvent):
    """Cluster picking: the right item was scanned; it counts once put in its order's tote."""

    CODECS: ClassVar[Mapping[str, Codec]] = {"expiry": _DATE}

    sku: str
    units: int
    lot: str | None = None
    expiry: date | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ItemPicked(LineEvent):
    """`units` of the line's item were taken (into `tote`); `picked` of `qty` so far."""

    CODECS: ClassVar[Mapping[str, Codec]] = {"expiry": _DATE}

    sku: str
    units: int
    picked: int
    qty: int
    location: str
    line_done: bool
    lot: str | None = None
    expiry: date | None = None
    tote: str | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ScanUndone(LineEvent):
    """The last step on the line was taken back: a location confirmation, `units` picked, a verified item."""

    step: str
    units: int | None = None
    picked: int | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class LineShorted(LineEvent):
    """The line cannot be filled here: `missing` units not found (`reason`)."""

    sku: str
    location: str
    reason: str
    picked: int
    missing: int
    qty: int


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class CountTaskRequested(LineEvent):
    """The location should be counted (after a short)."""

    location: str
    sku: str
    reason: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class LineSkipped(LineEvent):
    """The picker skipped the line; it comes back at the end of the route."""

    location: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class WorkPaused(Event):
    """The picker paused the work unit."""

    work_id: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class WorkResumed(Event):
    """The picker resumed the work unit."""

    work_id: str


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class ToteClosed(Event):
    """The order's tote was closed and goes to packing, with its lines as they ended."""

    CODECS: ClassVar[Mapping[str, Codec]] = {"lines": _TOTE_LINES}

    work_id: str
    order_id: str
    lines: tuple[ToteLine, ...]
    tote: str | None = None


# --- packing ------------------------------------------------------------------------------------------------


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class PackStarted(Event):
    """The packer scanned the order's tote or label."""

    order_id: str
    tote: str | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class UnitVerified(Event):
    """A unit of the order was verified at the bench: `verified` of `qty` of its line."""

    order_id: str
    sku: str
    units: int
    verified: int
    qty: int
    lot: str | None = None


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class SealOverridden(Event):
    """A supervisor let the order be sealed despite `problems`."""

    CODECS: ClassVar[Mapping[str, Codec]] = {"problems": _TEXTS}

    order_id: str
    supervisor: str
    reason: str
    problems: tuple[str, ...]


@_register
@dataclass(frozen=True, slots=True, kw_only=True)
class OrderSealed(Event):
    """The order was sealed in `box`, weighed at `weight_g`."""

    order_id: str
    box: str
    weight_g: int
    expected_weight_g: int
    overridden: bool
