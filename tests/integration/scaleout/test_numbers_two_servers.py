"""No number twice across two `aisle server` processes on one database (SQLite file and PostgreSQL): 1,000
SSCCs issued and 40 blocks leased to four stations at once through both, then a voided number that never
comes back and a re-keyed replica whose blocks are abandoned and never overlapped by a new lease."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.cli.simulation.warehouse import make_token
from app.domain.shipping.schemes import make_scheme
from app.server.db.database import Database
from app.server.db.migrate import upgrade
from app.server.shipping.models import IssuedNumber, NumberBlock
from tests.integration.server.conftest import pg_url  # noqa: F401  (fixture)
from tests.support.number_servers import PREFIX, SSCC, Clients, at_once, issue_many, two_servers

pytestmark = [pytest.mark.slow]

SCHEME = make_scheme("sscc", {"company_prefix": PREFIX, "extension_digit": "3"})
ISSUES, STATIONS, LEASES = 1000, 4, 40


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(url: str) -> Iterator[Database]:
    db = Database(url)
    upgrade(db)  # once, before both servers start
    yield db
    db.dispose()


def _register(url: str, db: Database, station_id: str, replica_id: str, **extra: object) -> str:
    token = make_token(db, "station", station_id)
    body = {"station_id": station_id, "replica_id": replica_id, "app_version": "t", **extra}
    resp = httpx.post(f"{url}/api/v1/sync/register", json=body, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return token


def _disjoint(blocks: list[tuple[int, int]]) -> bool:
    ordered = sorted(blocks)
    return all(a[1] < b[0] for a, b in itertools.pairwise(ordered))


def test_two_server_processes_never_issue_a_number_twice(url: str, db: Database, tmp_path: Path) -> None:
    with two_servers(url, tmp_path) as servers:
        urls = [s.url for s in servers]
        admin = make_token(db, "admin", "numbers")
        replicas = [str(uuid.uuid4()) for _ in range(STATIONS)]
        tokens = [_register(urls[0], db, f"N{i}", r) for i, r in enumerate(replicas)]
        station_clients = [Clients(urls, t) for t in tokens]

        def lease(i: int) -> tuple[int, int]:
            k = i % STATIONS
            body = {"station_id": f"N{k}", "replica_id": replicas[k], "size": 25}
            got = station_clients[k].post(i, f"/numbers/{SSCC}/blocks", body)
            return int(got["first"]), int(got["last"])

        leased = at_once(LEASES, 4, lease)  # the leases, then the issues, each all at once on both servers
        numbers = issue_many(urls, admin, SSCC, ISSUES)

        assert len(numbers) == ISSUES and len(set(numbers)) == ISSUES
        assert all(SCHEME.is_valid(n) for n in numbers)
        serials = [SCHEME.serial_of(n) for n in numbers]
        assert not any(a <= s <= b for s in serials for a, b in leased)  # none from a station's block
        with db.session_scope() as s:
            rows = s.execute(select(NumberBlock.first, NumberBlock.last, NumberBlock.holder)).tuples().all()
            assert s.scalar(select(func.count(func.distinct(IssuedNumber.text)))) == ISSUES
        blocks = [(first, last) for first, last, _ in rows]
        assert _disjoint(blocks)
        assert sum(holder != "server" for *_, holder in rows) == LEASES
        # the server's own blocks hold every number it issued; two processes racing for the last number of
        # a block may each open a new one (READ COMMITTED skips the block the other used up); none overlap
        server_blocks = [(first, last) for first, last, holder in rows if holder == "server"]
        assert sum(last - first + 1 for first, last in server_blocks) >= ISSUES
        assert len(server_blocks) >= ISSUES // 10

        clients = Clients(urls, admin)
        dead = numbers[500]
        assert clients.post(0, f"/numbers/{SSCC}/void", {"number": dead, "reason": "test"})["state"] == "void"
        later = issue_many(urls, admin, SSCC, 100)
        assert dead not in later and len(set(numbers) | set(later)) == ISSUES + 100

        new_replica = str(uuid.uuid4())
        retired = {"replica_id": replicas[0], "reason": "server_ahead", "last_seq": 0, "resent": 0}
        _register(urls[1], db, "N0", new_replica, retired=retired)
        with db.session_scope() as s:
            states = set(s.scalars(select(NumberBlock.state).where(NumberBlock.holder == replicas[0])))
        assert states == {"abandoned"}
        fresh = Clients(urls, tokens[0]).post(
            0, f"/numbers/{SSCC}/blocks", {"station_id": "N0", "replica_id": new_replica, "size": 25}
        )
        assert fresh["first"] > max(b for _, b in leased) and fresh["first"] > max(
            map(SCHEME.serial_of, later)
        )
        refused = httpx.post(
            f"{urls[1]}/api/v1/numbers/{SSCC}/blocks",
            json={"station_id": "N0", "replica_id": replicas[0]},
            headers={"Authorization": f"Bearer {tokens[0]}"},
        )
        assert refused.status_code == 409 and refused.json()["error"] == "replica_retired"
