"""`aisle demo`: the demo server's database (migrated, seeded once, tokens) and the demo station."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.bootstrap.server import open_database
from app.bootstrap.terminal import TerminalRun, build_terminal
from app.cli.seed import describe, seed_database
from app.config import load_settings
from app.server.access.auth import create_token
from app.server.catalogue.models import Product

DEMO_STATION = "DEMO1"
DEMO_BADGE = "OP-1004"  # Lee Packer: may pick and pack


@dataclass
class DemoInfo:
    """What a demo user needs: where the server is and the tokens to call it with."""

    url: str
    database_url: str
    admin_token: str
    station_token: str
    seeded_now: str | None


def prepare_demo(db_path: Path, host: str = "127.0.0.1", port: int = 8470) -> DemoInfo:
    """Migrate the demo database, seed it if it is empty, and create an admin and a station token."""
    database_url = f"sqlite:///{db_path}"
    db = open_database(database_url)
    with db.session_scope() as session:
        empty = not session.scalar(select(func.count()).select_from(Product))
    seeded = describe(seed_database(db, skus=3000, orders=300, seed=1)) if empty else None
    with db.session_scope(write=True) as session:
        admin = create_token(session, "admin", "demo-admin")
        station = create_token(session, "station", DEMO_STATION)  # a station token is named by its station
    db.dispose()
    return DemoInfo(f"http://{host}:{port}", database_url, admin, station, seeded)


def demo_terminal(info: DemoInfo, scanner: str) -> TerminalRun:
    """The demo station's terminal on the demo server: badge screen, F9 "scan for me" signing in as
    DEMO_BADGE, the packer's next order label read from the server."""
    settings = load_settings()
    return build_terminal(
        settings,
        role="",
        station_id=DEMO_STATION,
        db=Path("var") / f"demo-station-{DEMO_STATION}.db",
        scanner_spec=scanner,
        scale_spec=settings.station.scale,
        server=info.url,
        token=info.station_token,
        sync=True,
        demo_badge=DEMO_BADGE,
        demo_label=lambda: picked_order_label(info),
    )


def picked_order_label(info: DemoInfo) -> str | None:
    """The label of an order that waits for packing (the demo's packer scans it), or None."""
    try:
        resp = httpx.get(
            f"{info.url}/api/v1/orders",
            params={"status": "picked", "limit": 1},
            headers={"Authorization": f"Bearer {info.admin_token}"},
            timeout=5,
        )
        items = resp.json().get("items", []) if resp.status_code == 200 else []
    except (httpx.HTTPError, ValueError):
        return None
    return f"ORD-{items[0]['id']}" if items else None
