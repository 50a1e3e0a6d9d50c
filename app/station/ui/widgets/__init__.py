"""Widgets shared by the role screens: status bar, verdict panel, big quantities, recent scans."""

from __future__ import annotations

from textual.widgets import Static


def show_text(widget: Static, text: str, *, layout: bool = True) -> None:
    """Update `widget` only when its text changes: every update costs a repaint (with `layout`, a re-layout)
    on the UI thread, and a scan changes only a few of the screen's widgets (bench_tui: scan-to-screen)."""
    if widget.content != text:
        widget.update(text, layout=layout)
