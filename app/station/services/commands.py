"""Commands a station handles, in the imperative. A screen key and a command label lead to the same command.

`source` says where the command came from (a scanner, a key, the headless runner) and is recorded with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.work import ShortReason


@dataclass(frozen=True, slots=True)
class RecordScan:
    """A scan from any scanner: interpreted, verified against the current work, recorded, answered."""

    text: str
    gs1: bool = False
    aim: str | None = None
    symbology: str | None = None
    source: str = "scanner"


@dataclass(frozen=True, slots=True)
class SignIn:
    badge: str
    source: str = "key"


@dataclass(frozen=True, slots=True)
class SignOut:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class ClaimWork:
    """Ask the server for pick work (needs the network); resumes local work first if there is any."""

    source: str = "key"


@dataclass(frozen=True, slots=True)
class EnterQuantity:
    """A typed quantity for bulk: the next right product scan counts `qty` units."""

    qty: int
    source: str = "key"


@dataclass(frozen=True, slots=True)
class RequestShort:
    """First step of a short pick by scan (CMD-SHORT); the reason label confirms it."""

    source: str = "key"


@dataclass(frozen=True, slots=True)
class ShortLine:
    reason: ShortReason
    source: str = "key"


@dataclass(frozen=True, slots=True)
class SkipLine:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class UndoLastScan:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class CancelPending:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class PauseWork:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class ResumeWork:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class CloseTotes:
    source: str = "key"


@dataclass(frozen=True, slots=True)
class PrepareSeal:
    """Set the open order's box and/or weight (the B key, a typed weight, a stable scale reading), so a
    seal by key (S) or by label (CMD-DONE) uses the same box and weight."""

    box: str | None = None
    weight_g: int | None = None
    source: str = "key"


@dataclass(frozen=True, slots=True)
class SealOrder:
    """Seal the order on the bench in box `box` weighing `weight_g` (all verified, weight in tolerance);
    None (the CMD-DONE / CMD-SEAL label) seals with the box and weight recorded on the order."""

    box: str | None = None
    weight_g: int | None = None
    source: str = "key"


@dataclass(frozen=True, slots=True)
class OverrideSeal:
    """Seal despite a failed check: a supervisor's badge and PIN, and the reason, are recorded."""

    box: str
    weight_g: int
    supervisor_badge: str
    pin: str
    reason: str
    source: str = "key"


Command = (
    RecordScan
    | SignIn
    | SignOut
    | ClaimWork
    | EnterQuantity
    | RequestShort
    | ShortLine
    | SkipLine
    | UndoLastScan
    | CancelPending
    | PauseWork
    | ResumeWork
    | CloseTotes
    | PrepareSeal
    | SealOrder
    | OverrideSeal
)

#: what a picker's key or command label asks of the work unit (app.station.services.picker.pick_action)
PickCommand = (
    RequestShort
    | ShortLine
    | SkipLine
    | UndoLastScan
    | CancelPending
    | PauseWork
    | ResumeWork
    | CloseTotes
    | EnterQuantity
)

#: what a packer's key or command label asks of the order on the bench (app.station.services.packer.pack_step)
PackCommand = PrepareSeal | SealOrder
