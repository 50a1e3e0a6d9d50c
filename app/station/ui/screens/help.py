"""Help (? or F1): the keys of the screen underneath, their command labels, and what to scan next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from app.station.ui.messages import ScanReceived

if TYPE_CHECKING:
    from app.station.ui.app import AisleApp


def key_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what it does, command label) for each binding of `screen` that has a description."""
    rows = []
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        keys = ", ".join(k.strip().replace("question_mark", "?") for k in binding.key.split(","))
        rows.append((keys, binding.description, binding.tooltip))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys and command labels of the screen it was opened over; any key closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > Vertical {
        width: 72; height: auto; max-height: 22; padding: 0 2; border: thick $accent; background: $surface;
    }
    HelpScreen .help-title { text-style: bold; }
    HelpScreen #help-next { margin: 1 0 0 0; color: $warning; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark,enter", "close", "Close")]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        app = cast("AisleApp", self.app)  # Textual types self.app as App[object]
        purpose = getattr(self.under, "PURPOSE", "")
        prompt = getattr(self.under, "prompt", "") or ""
        table = "\n".join(
            f"[b]{escape(keys):>9}[/]  {escape(what):<16} {escape(label)}"
            for keys, what, label in key_rows(self.under)
        )
        with Vertical():
            yield Label(f"HELP — {escape(purpose)}", classes="help-title")
            yield Static(f"{'KEY':>9}  {'DOES':<16} OR SCAN\n{table}")
            yield Static("F1 / ?  this help      Ctrl+Q  quit", classes="dim")
            yield Static(f"NEXT: {escape(prompt)}" if prompt else "", id="help-next")
            if app.settings.role in ("picker", "packer"):
                yield Static("Scanning is the input: keys are for when a label is not at hand.")
            if app.settings.database:
                yield Static(f"Database: {escape(app.settings.database)}", id="help-database", classes="dim")

    @on(ScanReceived)
    def on_scan_received(self, message: ScanReceived) -> None:
        """Help is open over the screen: a scan still reaches the station."""
        aisle = cast("AisleApp", self.app)  # Textual types self.app as App[object]
        aisle.submit_scan(message)

    def action_close(self) -> None:
        self.dismiss(None)
