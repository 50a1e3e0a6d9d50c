"""Short pick: the reason, by key (1-3) or by scanning its command label; Escape cancels the short."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static

from app.domain.work import ShortReason
from app.station.ui.modals.base import AisleModal

#: key, reason, what the picker reads, the command label that does the same
REASONS = (
    ("1", ShortReason.NOT_FOUND, "Not found in the bin", "CMD-NOTFOUND"),
    ("2", ShortReason.DAMAGED, "Damaged", "CMD-DAMAGED"),
    ("3", ShortReason.QUANTITY_WRONG, "Wrong quantity in the bin", "CMD-QTYWRONG"),
)


class ShortPickModal(AisleModal[ShortReason | str]):
    """Asks why the line is short; the answer is a ShortReason, or "cancel-short"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"reason('{reason.value}')", text, tooltip=label)
            for key, reason, text, label in REASONS
        ),
        Binding("escape,x", "cancel_short", "Cancel short", tooltip="CMD-CANCEL"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("SHORT PICK: why is it short?", classes="dialog-title")
            for key, _reason, text, label in REASONS:
                yield Static(f"[b]{key}[/]  {text}   [dim](or scan {label})[/]")
            yield Static("Esc / x: cancel the short (CMD-CANCEL)", classes="dialog-hint")

    def action_reason(self, value: str) -> None:
        self.dismiss(ShortReason(value))

    def action_cancel_short(self) -> None:
        self.dismiss("cancel-short")
