"""`aisle seed`: a sample warehouse that is valid, varied, and the same for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.domain.gtin import is_gtin
from app.server.access.models import Operator
from app.server.catalogue.models import Barcode, Location
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.server.orders.models import Order
from app.server.seeding import seed


def seeded(path: Path, seed_value: int) -> Database:
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.session_scope(write=True) as session:
        seed(session, skus=200, orders=60, seed=seed_value)
    return db


def test_seed_builds_a_varied_valid_warehouse(tmp_path: Path) -> None:
    db = seeded(tmp_path / "a.db", 5)
    with db.session_scope() as session:
        barcodes = session.scalars(select(Barcode)).all()
        statuses = set(session.scalars(select(Order.status)))
        priorities = set(session.scalars(select(Order.priority)))
        badges = set(session.scalars(select(Operator.badge)))
        first = session.scalars(select(Location).order_by(Location.sequence)).first()
    assert all(is_gtin(b.code) for b in barcodes if b.code.isdigit())
    assert any(b.units > 1 for b in barcodes)  # case barcodes
    assert {"accepted", "backordered", "on_hold"} <= statuses
    assert len(priorities) >= 3
    assert "OP-1001" in badges
    assert first is not None and first.code == "A-01-01-1"


def test_same_seed_same_orders(tmp_path: Path) -> None:
    def orders(db: Database) -> list[tuple[str, str, str]]:
        with db.session_scope() as session:
            return [
                tuple(r) for r in session.execute(select(Order.external_id, Order.status, Order.priority))
            ]

    assert orders(seeded(tmp_path / "a.db", 3)) == orders(seeded(tmp_path / "b.db", 3))
    assert orders(seeded(tmp_path / "c.db", 4)) != orders(seeded(tmp_path / "d.db", 3))


def test_seeding_a_database_with_data_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["seed", "--db", url, "--skus", "50", "--orders", "5"]) == 0
    assert main(["seed", "--db", url, "--skus", "50", "--orders", "5"]) == 2
    assert "already holds products" in capsys.readouterr().err
