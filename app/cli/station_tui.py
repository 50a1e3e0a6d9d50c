"""`aisle station` without --headless: the floor terminal (Textual), built by `app.bootstrap.terminal`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.bootstrap.terminal import build_terminal
from app.config import load_settings


def run_tui(
    args: argparse.Namespace,
    demo_badge: str | None = None,
    demo_label: Callable[[], str | None] | None = None,
) -> int:
    """Open the terminal for --role (picker, packer, supervisor; none → the badge screen asks).

    `demo_badge` (aisle demo) adds the F9 "scan for me" autopilot, signing in with that badge.
    """
    settings = load_settings()
    st = settings.station
    terminal = build_terminal(
        settings,
        role=args.role or st.role,
        station_id=args.station_id or st.station_id,
        db=Path(args.db) if args.db else None,
        scanner_spec=args.scanner or st.scanner,
        scale_spec=getattr(args, "scale", None) or st.scale,
        server=args.server or st.server_url,
        token=args.token or st.token,
        sync=not args.no_sync,
        demo_badge=demo_badge,
        demo_label=demo_label,
    )
    return terminal.run()
