"""Command labels as typed commands: a scanned CMD-SKIP is the SkipLine the K key sends (one route for both).

The only place a label's name meets its command. The picker's and packer's handlers then run the command the
same way whichever way it came (`picker.pick_action`, `packer.pack_step`); only what is recorded differs (the
scanned text, or `key:…`).
"""

from __future__ import annotations

from collections.abc import Callable

from app.domain.work import ShortReason
from app.station.services import commands as c

SIGN_OUT = ("signout", "logout")

REASON_LABELS = {
    "notfound": ShortReason.NOT_FOUND,
    "not-found": ShortReason.NOT_FOUND,
    "damaged": ShortReason.DAMAGED,
    "qtywrong": ShortReason.QUANTITY_WRONG,
    "qty-wrong": ShortReason.QUANTITY_WRONG,
}

_PICK_SIMPLE: dict[str, Callable[..., c.PickCommand]] = {
    "short": c.RequestShort,
    "skip": c.SkipLine,
    "undo": c.UndoLastScan,
    "cancel": c.CancelPending,
    "pause": c.PauseWork,
    "resume": c.ResumeWork,
    "done": c.CloseTotes,
}


def pick_label(name: str, source: str) -> c.PickCommand | None:
    """The picker's command for a label (CMD-SKIP → 'skip'); CMD-QTY-12 types 12; None: not a picker's."""
    if name in _PICK_SIMPLE:
        return _PICK_SIMPLE[name](source=source)
    if name in REASON_LABELS:
        return c.ShortLine(REASON_LABELS[name], source=source)
    digits = name.removeprefix("qty").lstrip("-")
    if name.startswith("qty") and digits.isdigit():
        return c.EnterQuantity(int(digits), source=source)
    return None


def pack_label(name: str, source: str) -> c.PackCommand | None:
    """The packer's command for a label (CMD-BOX-M, CMD-WEIGHT-1234, CMD-DONE, CMD-SEAL), else None."""
    if name.startswith("box-"):
        return c.PrepareSeal(box=name.removeprefix("box-"), source=source)
    if name.startswith("weight-") and name[7:].isdigit():
        return c.PrepareSeal(weight_g=int(name[7:]), source=source)
    if name in ("done", "seal"):
        return c.SealOrder(source=source)
    return None
