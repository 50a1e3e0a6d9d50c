"""The shared modal frame: a centred box with a title and a key hint; scans still reach the station."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from app.station.ui.messages import ScanReceived

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp

T = TypeVar("T")


class AisleModal(ModalScreen[T]):
    """A modal that Escape cancels (dismissing None); a scan while it is open goes to the station."""

    DEFAULT_CSS = """
    AisleModal { align: center middle; background: $background 60%; }
    AisleModal > .dialog {
        width: 64; height: auto; max-height: 20; padding: 1 2; border: thick $accent; background: $surface;
    }
    AisleModal .dialog-title { text-style: bold; width: 100%; margin-bottom: 1; }
    AisleModal .dialog-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    @property
    def aisle(self) -> AisleApp:
        return cast("AisleApp", self.app)  # Textual types self.app as App[object]

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        """A scan while the modal is open: recorded at the station like any other."""
        self.aisle.submit_scan(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
