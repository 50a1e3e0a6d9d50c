"""`aisle token create` and `aisle import`: what the operator sees, and what lands in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.server.catalogue.models import Product
from app.server.db.database import Database
from app.server.orders.models import Order
from app.server.stock.models import StockItem
from tests.integration.server.conftest import make_settings

LOCATIONS = "code,zone,aisle,bay,level,sequence\nA-01-01-1,A,01,01,1,10\nA-01-02-1,A,01,02,1,20\n"
PRODUCTS = (
    "sku,name,barcodes,weight_g,length_mm,width_mm,height_mm,lot_tracked,expiry_tracked\n"
    "MUG-RED,Red Mug,4006381333931|14006381333938*6,350,90,90,100,no,no\n"
    "MUG-BLU,Blue Mug,4006381333932,350,,,,,\n"
    "MUG-GRN,,,abc,,,,,\n"
)


def count(url: str, model: type) -> int:
    db = Database(url)
    with db.session_scope() as session:
        n = session.scalar(select(func.count()).select_from(model)) or 0
    db.dispose()
    return n


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_token_create_prints_a_working_token_alone_on_the_last_line(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--role", "integration", "--name", "shop", "--db", db_url]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("aisle_") and " " not in token
    from fastapi.testclient import TestClient

    from app.server.app import create_app

    with TestClient(create_app(make_settings(db_url))) as client:
        assert client.get("/api/v1/orders", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_import_with_bad_rows_reports_line_numbers_and_imports_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["import", "products", str(write(tmp_path, "p.csv", PRODUCTS)), "--db", db_url])
    captured = capsys.readouterr()
    assert rc == 2
    assert "line 3: product MUG-BLU: barcode 4006381333932: EAN-13 check digit is wrong" in captured.out
    assert "line 4: field name: field required" in captured.out
    assert "nothing was imported" in captured.err and "--skip-bad-rows" in captured.err
    assert count(db_url, Product) == 0


def test_skip_bad_rows_imports_the_good_ones(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        ["import", "products", str(write(tmp_path, "p.csv", PRODUCTS)), "--skip-bad-rows", "--db", db_url]
    )
    assert rc == 1
    out = capsys.readouterr().out
    assert "imported 1 products record(s)" in out and "2 skipped" in out
    assert count(db_url, Product) == 1


def test_stock_rows_naming_unknown_skus_fail_with_their_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "locations", str(write(tmp_path, "l.csv", LOCATIONS)), "--db", db_url])
    main(["import", "products", str(write(tmp_path, "p.csv", PRODUCTS.split("MUG-BLU")[0])), "--db", db_url])
    stock = "sku,location,qty,lot,expiry\nMUG-RED,A-01-01-1,10,,\nNOPE,A-01-01-1,1,,\nMUG-RED,A-01-02-1,0,,\n"
    capsys.readouterr()
    rc = main(["import", "stock", str(write(tmp_path, "s.csv", stock)), "--db", db_url])
    out = capsys.readouterr().out
    assert rc == 2
    assert "line 3: SKU NOPE is not known" in out
    assert "line 4: field qty: input should be greater than or equal to 1" in out
    assert count(db_url, StockItem) == 0


def test_orders_json_import_reports_the_line_of_the_bad_object(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "products", str(write(tmp_path, "p.csv", PRODUCTS.split("MUG-BLU")[0])), "--db", db_url])
    orders = [
        {"channel": "web", "external_id": "1", "lines": [{"sku": "MUG-RED", "qty": 1}]},
        {"channel": "web", "external_id": "2", "lines": []},
    ]
    text = json.dumps(orders, indent=2)
    capsys.readouterr()
    rc = main(["import", "orders", str(write(tmp_path, "o.json", text)), "--db", db_url])
    out = capsys.readouterr().out
    second_line = text.splitlines().index("  {", 2) + 1
    assert rc == 2 and f"line {second_line}: field lines" in out
    assert count(db_url, Order) == 0


def test_orders_csv_rows_are_grouped_into_orders(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    products = "sku,name\nA,Apple\nB,Banana\n"
    main(["import", "products", str(write(tmp_path, "p.csv", products)), "--db", db_url])
    orders = (
        "channel,external_id,sku,qty,customer_name,ship_country,payment_status\n"
        "web,1,A,1,Ada,GB,paid\nweb,1,B,2,,,\nweb,2,A,1,Bob,DE,pending\n"
    )
    assert main(["import", "orders", str(write(tmp_path, "o.csv", orders)), "--db", db_url]) == 0
    assert "imported 2 orders record(s)" in capsys.readouterr().out
    assert count(db_url, Order) == 2


def test_unreadable_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", "products", str(write(tmp_path, "p.xlsx", "x")), "--db", url]) == 2
    assert "unknown file type .xlsx; use .csv, .json or .jsonl" in capsys.readouterr().out
    assert main(["import", "products", str(tmp_path / "missing.csv"), "--db", url]) == 2
    assert "no such file" in capsys.readouterr().err
