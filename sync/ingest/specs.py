"""Every event type the server reads, declared once: its payload, its handler, the rows it reads, and whether
it needs the stock slots locked. push.py, effects_load.py and the stock plan (push_batch) read this table and
nothing else; a type not listed here is recorded and rejected as unknown (docs/sync.md S4).

The payload is the domain's event class (app.domain.events), which names the wire type and its fields. The
handlers read the pushed payload dict itself: decoding 500 payloads into dataclasses per push would cost more
than the rest of a pick's handling, and the handlers' own checks (Malformed) say what is wrong with one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Flag, auto

from app.domain import events as ev
from sync import schemas as w
from sync.ingest import effects_pack as pack
from sync.ingest import effects_pick as pick
from sync.ingest.effects import ACCEPTED, BatchContext, Handler, Outcome


class Reads(Flag):
    """Rows an event's handler reads, which effects_load.load fetches (and locks) for the batch up front."""

    NOTHING = 0
    #: the work line its lease names, with that line's order, order line, stock slot and reservations; every
    #: type recorded under a lease declares it, its handler reading the line or not: a closing tote counts
    #: the lines of its work unit the batch has read (effects_pack.tote_closed)
    LEASED_LINE = auto()
    #: the order its payload names (`order_id`), for an event that holds no lease
    ORDER = auto()
    #: every work line of that order (a closing tote: is any line of the order still open?)
    ORDER_WORK_LINES = auto()
    #: every order line of that order (a sealed order's lines count as packed)
    ORDER_LINES = auto()
    #: the work unit its payload names (`work_id`) and the unit's orders
    WORK = auto()


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event type as the server handles it."""

    event: type[ev.Event]
    handler: Handler
    reads: Reads = Reads.NOTHING
    #: its handler needs the stock slots as they are, locked (a short writes off what the slot holds): a batch
    #: holding one reads its slots locked from the start instead of finding out halfway (effects_stock)
    locks_stock: bool = False

    @property
    def type(self) -> str:
        """The wire name."""
        return self.event.TYPE


def recorded(_ctx: BatchContext, _ev: w.PushEvent) -> Outcome:
    """A fact the server keeps (in sync_events) and acts on no further."""
    return ACCEPTED


R = Reads
_LINE = R.LEASED_LINE
_ORDER = R.ORDER

#: every event type this server reads, by wire name
SPECS: dict[str, EventSpec] = {
    spec.type: spec
    for spec in (
        EventSpec(ev.OperatorSignedIn, pick.signed_in),
        EventSpec(ev.OperatorSignedOut, pick.signed_out),
        EventSpec(ev.ScanRefused, pick.scan_refused, _LINE),
        EventSpec(ev.ScanNoted, recorded),
        EventSpec(ev.ToteAssigned, pack.tote_assigned, _ORDER | R.WORK),
        EventSpec(ev.LocationConfirmed, recorded, _LINE),
        EventSpec(ev.ItemVerified, recorded, _LINE),
        EventSpec(ev.ItemPicked, pick.item_picked, _LINE),
        EventSpec(ev.ScanUndone, pick.scan_undone, _LINE),
        EventSpec(ev.LineShorted, pick.line_shorted, _LINE, locks_stock=True),
        EventSpec(ev.CountTaskRequested, pick.count_task_requested, _LINE),
        EventSpec(ev.LineSkipped, recorded, _LINE),
        EventSpec(ev.WorkPaused, recorded),
        EventSpec(ev.WorkResumed, recorded),
        EventSpec(ev.ToteClosed, pack.tote_closed, _ORDER | R.ORDER_WORK_LINES | R.WORK),
        EventSpec(ev.PackStarted, pack.pack_started, _ORDER),
        EventSpec(ev.UnitVerified, pack.unit_verified, _ORDER),
        EventSpec(ev.SealOverridden, pack.seal_overridden, _ORDER),
        EventSpec(ev.OrderSealed, pack.order_sealed, _ORDER | R.ORDER_LINES),
    )
}


def types_reading(read: Reads) -> frozenset[str]:
    """The wire names of the types that read `read`."""
    return frozenset(t for t, spec in SPECS.items() if read in spec.reads)


#: the wire names of the types whose handlers need the stock slots locked
STOCK_LOCKING = frozenset(t for t, spec in SPECS.items() if spec.locks_stock)


def needs_locked_stock(events: Iterable[w.PushEvent]) -> bool:
    """True when an event of the batch needs the stock slots locked from the start."""
    return any(e.type in STOCK_LOCKING for e in events)
