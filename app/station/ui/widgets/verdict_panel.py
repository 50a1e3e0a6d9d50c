"""The verdict panel: a large coloured block readable from a metre away."""

from __future__ import annotations

from textual.widgets import Static

from app.station.ui.widgets import show_text

#: verdict → CSS class; the colours live in DEFAULT_CSS so every screen shows them alike
VERDICT_CLASSES = {"ok": "-ok", "refused": "-refused", "warning": "-warning", "info": "-info"}


class VerdictPanel(Static):
    """Shows the last verdict's message on green (accepted), red (refused), amber (warning) or neutral."""

    DEFAULT_CSS = """
    VerdictPanel {
        height: 4; padding: 0 1; content-align: left middle; text-style: bold; background: $boost;
    }
    VerdictPanel.-ok { background: $success; color: $text; }
    VerdictPanel.-refused { background: $error; color: $text; }
    VerdictPanel.-warning { background: $warning; color: $text; }
    VerdictPanel.-info { background: $primary-darken-2; color: $text; }
    """

    def show(self, verdict: str, message: str) -> None:
        """Replace the panel's colour and message."""
        wanted = VERDICT_CLASSES.get(verdict, "-info")
        if not self.has_class(wanted):  # one restyle per change of colour, none when it stays
            self.remove_class(*VERDICT_CLASSES.values())
            self.add_class(wanted)
        show_text(self, message, layout=False)  # its size is fixed: the text never moves anything else
