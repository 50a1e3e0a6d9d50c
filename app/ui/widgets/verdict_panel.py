"""The verdict panel: a large coloured block readable from a metre away."""

from __future__ import annotations

from textual.widgets import Static

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
        for cls in VERDICT_CLASSES.values():
            self.remove_class(cls)
        self.add_class(VERDICT_CLASSES.get(verdict, "-info"))
        self.update(message)
