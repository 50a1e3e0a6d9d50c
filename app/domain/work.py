"""Work on the floor: work units (one order, or a cluster batch with one tote per order), their lines in
walking order, leases, what the station expects next, and the verdict of every scan with the events it
records (app.domain.events).

Pure: no I/O, no clocks. Times are passed in (`boot` seconds on a clock that counts suspend time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.events import Event


class WorkKind(StrEnum):
    SINGLE = "single"  # one order into one tote
    CLUSTER = "cluster"  # several small orders on a cart, one tote per order


class WorkState(StrEnum):
    AWAITING_TOTES = "awaiting_totes"  # a tote must be scanned for each order before picking starts
    PICKING = "picking"
    PAUSED = "paused"
    DONE = "done"  # every line picked or shorted; the tote(s) still have to be closed
    CLOSED = "closed"  # totes closed and handed to packing


class LineStatus(StrEnum):
    OPEN = "open"
    PICKED = "picked"
    SHORTED = "shorted"
    REVOKED = "revoked"  # the server took the lease back; nothing more is recorded against it
    CANCELLED = "cancelled"  # on the server: the order was cancelled before the line was done


class WorkUnitStatus(StrEnum):
    """A work unit on the server (the station follows its own progress as WorkState)."""

    OPEN = "open"  # released, waiting for a station to claim it
    ACTIVE = "active"  # claimed by a station
    DONE = "done"  # every line picked or shorted
    CANCELLED = "cancelled"  # every line cancelled with its order


class CountTaskStatus(StrEnum):
    """A request to count a location (after a short)."""

    OPEN = "open"


class ShortReason(StrEnum):
    NOT_FOUND = "not_found"
    DAMAGED = "damaged"
    QUANTITY_WRONG = "quantity_wrong"


@dataclass(frozen=True, slots=True)
class Lease:
    """The station's right to work on a line: the server's fencing token and a deadline on the boot clock."""

    token: int
    deadline_boot: float

    def expired(self, boot_now: float) -> bool:
        return boot_now >= self.deadline_boot


@dataclass(slots=True)
class Step:
    """One accepted scan on a line that undo can take back: a location confirmation or `units` picked."""

    kind: str  # "location" | "units"
    units: int = 0
    lot: str | None = None


@dataclass(slots=True)
class PickLine:
    """One order line to pick: take `qty` of `sku` from `location` (lot `lot` if allocated)."""

    line_id: str
    order_id: str
    sku: str
    product_name: str
    location: str
    qty: int
    sequence: int
    lease: Lease
    lot: str | None = None
    picked: int = 0
    status: LineStatus = LineStatus.OPEN
    location_confirmed: bool = False
    steps: list[Step] = field(default_factory=list)
    short_reason: str | None = None

    @property
    def remaining(self) -> int:
        return self.qty - self.picked

    @property
    def label(self) -> str:
        """How operators read the product: `Red Mug 350ml (MUG-RED)`."""
        return f"{self.product_name} ({self.sku})"


@dataclass(slots=True)
class PendingPut:
    """Cluster picking: units verified at the location, waiting for the scan of their order's tote."""

    line_id: str
    units: int
    lot: str | None = None


@dataclass(slots=True)
class WorkUnit:
    """The aggregate a picker works through: lines in route order, totes per order, and in-progress state."""

    work_id: str
    kind: WorkKind
    orders: list[str]
    lines: list[PickLine]
    route: list[str] = field(default_factory=list)  # line ids in walking order; skip moves one to the end
    totes: dict[str, str] = field(default_factory=dict)  # order_id -> tote code
    state: WorkState = WorkState.AWAITING_TOTES
    pending_put: PendingPut | None = None
    typed_qty: int | None = None  # a typed quantity waiting for the product scan it multiplies
    awaiting_short_reason: bool = False

    def __post_init__(self) -> None:
        if not self.route:
            ordered = sorted(self.lines, key=lambda ln: (ln.sequence, ln.location, ln.line_id))
            self.route = [ln.line_id for ln in ordered]

    def line(self, line_id: str) -> PickLine:
        for ln in self.lines:
            if ln.line_id == line_id:
                return ln
        raise KeyError(line_id)

    def current_line(self) -> PickLine | None:
        """The first open line on the route, or None when every line is done."""
        for line_id in self.route:
            ln = self.line(line_id)
            if ln.status is LineStatus.OPEN:
                return ln
        return None

    def order_waiting_for_tote(self) -> str | None:
        for order_id in self.orders:
            if order_id not in self.totes:
                return order_id
        return None

    def progress(self) -> tuple[int, int]:
        """(lines done, lines in total); revoked lines are not counted."""
        counted = [ln for ln in self.lines if ln.status is not LineStatus.REVOKED]
        done = sum(1 for ln in counted if ln.status is not LineStatus.OPEN)
        return done, len(counted)


class ExpectKind(StrEnum):
    BADGE = "badge"
    WORK = "work"  # nothing leased: claim work
    TOTE = "tote"
    LOCATION = "location"
    PRODUCT = "product"
    PUT = "put"  # cluster: the tote of the order the units belong to
    SHORT_REASON = "short_reason"
    RESUME = "resume"
    CLOSE = "close"  # all lines done: close the tote(s)
    ORDER_LABEL = "order_label"  # packing: a tote or an order label
    UNIT = "unit"  # packing: the next unit to verify
    SEAL = "seal"  # packing: box and weight


@dataclass(frozen=True, slots=True)
class Expect:
    """What the station expects next, for the screen and the headless JSON line."""

    kind: ExpectKind
    prompt: str
    location: str | None = None
    sku: str | None = None
    product: str | None = None
    qty: int | None = None
    tote: str | None = None
    order_id: str | None = None
    # the seal step (packing.expect_next with the bench): the box to seal in (chosen, else the suggested one),
    # the suggestion, and the weight range that box passes in
    box: str | None = None
    suggested_box: str | None = None
    weight_min_g: int | None = None
    weight_max_g: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "prompt": self.prompt}
        for name in _EXPECT_FIELDS:
            if (value := getattr(self, name)) is not None:
                out[name] = value
        return out


_EXPECT_FIELDS = (
    "location",
    "sku",
    "product",
    "qty",
    "tote",
    "order_id",
    "box",
    "suggested_box",
    "weight_min_g",
    "weight_max_g",
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer to one scan or action: accepted or refused, a message to act on, what comes next."""

    accepted: bool
    code: str  # stable: ok, wrong_item, wrong_location, over_pick, lease_expired, …
    message: str
    expect: Expect
    events: tuple[Event, ...] = ()
    line_id: str | None = None
    order_id: str | None = None

    @property
    def outcome(self) -> str:
        return "accepted" if self.accepted else "refused"
