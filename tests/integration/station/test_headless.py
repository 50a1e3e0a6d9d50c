"""The headless station: a scripted scanner in, one JSON line per scan outcome out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.domain.catalogue import Location
from app.station.services.clock import SystemClock
from app.station.services.ports import Operator
from app.station.store.db import open_station_db
from app.station.store.uow import SqlUnitOfWorkFactory
from tests.unit.station.conftest import PRODUCTS, RED, TEA, gtin, line

ROOT = Path(__file__).resolve().parents[3]
AISLE = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def seed(db: Path) -> None:
    """A station database holding operators, the catalogue slice and order 1001 leased for an hour."""
    from app.domain.work import WorkKind, WorkUnit

    uow = SqlUnitOfWorkFactory(open_station_db(db))
    deadline = SystemClock().boot() + 3600
    unit = WorkUnit(
        "W-1",
        WorkKind.SINGLE,
        ["1001"],
        [
            line("L1", RED, "A-03-02-1", 1, 30, deadline=deadline),
            line("L2", TEA, "A-01-01-1", 1, 10, deadline=deadline),
        ],
    )
    with uow() as u:
        u.catalogue.upsert_products(PRODUCTS)
        u.catalogue.upsert_locations([Location("A-01-01-1"), Location("A-03-02-1")])
        u.operators.upsert([Operator("OP-1001", "Ann", ("picker",))])
        u.work.add(unit)
        u.commit()


def test_headless_picker_prints_one_json_line_per_scan_with_what_comes_next(tmp_path: Path) -> None:
    db = tmp_path / "st.db"
    seed(db)
    script = tmp_path / "scans.txt"
    script.write_text(
        "\n".join(
            ["OP-1001", "T-0001", "A-01-01-1", gtin(RED), gtin(TEA), "A-03-02-1", gtin(RED), "CMD-DONE"]
        )
        + "\n"
    )
    proc = subprocess.run(
        [
            *AISLE,
            "station",
            "--headless",
            "--role",
            "picker",
            "--station-id",
            "ST9",
            "--scanner",
            f"script:{script}",
            "--db",
            str(db),
            "--no-sync",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert lines[0]["event"] == "ready" and lines[0]["database"] == str(db.resolve())  # the file in use
    outcomes = [x for x in lines if "verdict" in x]
    assert [x["code"] for x in outcomes[:8]] == [
        "signed_in",
        "tote_assigned",
        "location_confirmed",
        "wrong_item",
        "line_done",
        "location_confirmed",
        "line_done",
        "totes_closed",
    ]
    wrong = outcomes[3]
    assert wrong["verdict"] == "refused" and wrong["line"] == "L2" and wrong["order"] == "1001"
    assert wrong["expected"] == {
        "kind": "product",
        "prompt": wrong["expected"]["prompt"],
        "location": "A-01-01-1",
        "sku": "TEA-20",
        "product": "Tea 20 bags",
        "qty": 1,
        "tote": "T-0001",
    }
    assert outcomes[4]["progress"] == {"lines_done": 1, "lines_total": 2, "taken": 0, "qty": 1}


def seed_pack(db: Path) -> None:
    """A packer's station database: operator OP-2001, order 2001 (2 × Red Mug, 350 g each) in tote T-0042."""
    from app.domain.packing import PackLine, PackOrder

    uow = SqlUnitOfWorkFactory(open_station_db(db))
    with uow() as u:
        u.catalogue.upsert_products(PRODUCTS)
        u.operators.upsert([Operator("OP-2001", "Pat", ("packer",))])
        u.packs.add(PackOrder("2001", [PackLine(RED.sku, RED.name, 2, 350, (100, 90, 110))], tote="T-0042"))
        u.commit()


def test_headless_packer_says_the_box_and_weight_range_the_seal_expects(tmp_path: Path) -> None:
    """Contents 700 g: box S (tare 150 g) is suggested, 850 g ± 50 g passes; box M (250 g) moves the range."""
    db = tmp_path / "pack.db"
    seed_pack(db)
    script = tmp_path / "scans.txt"
    scans = ["OP-2001", "T-0042", gtin(RED), gtin(RED), "CMD-BOX-M", "CMD-WEIGHT-951", "CMD-DONE"]
    script.write_text("\n".join(scans) + "\n")
    proc = subprocess.run(
        [
            *AISLE,
            *("station", "--headless", "--role", "packer", "--station-id", "ST8"),
            *("--scanner", f"script:{script}", "--db", str(db), "--no-sync"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    outcomes = [x for x in map(json.loads, proc.stdout.splitlines()) if "verdict" in x]
    assert [x["code"] for x in outcomes] == [
        "signed_in",
        "pack_started",
        "unit_verified",
        "unit_verified",
        "box_chosen",
        "weighed",
        "order_sealed",
    ]
    assert "weight_min_g" not in outcomes[2]["expected"]  # one unit still to verify
    seal = outcomes[3]["expected"]
    assert seal == {
        "kind": "seal",
        "prompt": seal["prompt"],
        "order_id": "2001",
        "box": "S",
        "suggested_box": "S",
        "weight_min_g": 800,
        "weight_max_g": 900,
    }
    for chosen in outcomes[4:6]:  # the box chosen, then weighed: the range is that of box M
        assert chosen["expected"] | {"prompt": ""} == seal | {
            "prompt": "",
            "box": "M",
            "weight_min_g": 900,
            "weight_max_g": 1000,
        }
    assert outcomes[6]["expected"]["kind"] == "order_label"


def test_a_wrong_scanner_spec_stops_the_station_with_a_message_naming_valid_specs(tmp_path) -> None:
    proc = subprocess.run(
        [
            *AISLE,
            "station",
            "--headless",
            "--role",
            "picker",
            "--scanner",
            "usb:/dev/x",
            "--db",
            str(tmp_path / "s.db"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "unknown scanner kind 'usb'" in proc.stderr and "serial:" in proc.stderr
    assert "Traceback" not in proc.stderr
