"""`aisle token list` and `aisle token revoke`: no secret is ever printed, and a revoked token is refused
within `server.token_cache_seconds` even by a server that had it cached."""

from __future__ import annotations

import pytest

from app.cli import main
from app.server.access.auth import TokenVerifier, create_token, revoke_token
from app.server.db.database import Database
from tests.integration.server.conftest import Server, make_settings


def _create(db_url: str, role: str, name: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["token", "create", "--role", role, "--name", name, "--db", db_url]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_token_list_shows_ids_roles_and_names_but_no_secret(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = _create(db_url, "integration", "webshop", capsys)
    station = _create(db_url, "station", "ST01", capsys)
    assert main(["token", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "ROLE", "NAME"]
    assert [ln.split()[:3] for ln in lines[1:]] == [["1", "integration", "webshop"], ["2", "station", "ST01"]]
    assert shop not in out and station not in out and "aisle_" not in out


def test_token_revoke_by_id_or_value_makes_the_server_refuse_it(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from app.server.app import create_app

    shop = _create(db_url, "integration", "webshop", capsys)
    station = _create(db_url, "station", "ST01", capsys)
    assert main(["token", "revoke", "1", "--db", db_url]) == 0
    assert "Token 1 (integration, webshop) is revoked" in capsys.readouterr().out
    assert main(["token", "revoke", station, "--db", db_url]) == 0
    assert main(["token", "list", "--db", db_url]) == 0
    rows = [ln.split() for ln in capsys.readouterr().out.splitlines()[1:]]
    assert all(row[-1] != "-" for row in rows)  # both show when they were revoked
    with TestClient(create_app(make_settings(db_url))) as client:
        for token in (shop, station):
            resp = client.get("/api/v1/orders", headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code == 401
    for unknown in ("99", "9" * 25):  # an id none has, a number too long to be an id
        assert main(["token", "revoke", unknown, "--db", db_url]) == 2
        assert "No such token" in capsys.readouterr().err


def test_a_cached_token_is_refused_once_the_cache_time_has_passed_after_its_revocation(
    server: Server,
) -> None:
    now = [0.0]
    verifier = TokenVerifier(ttl=10.0, clock=lambda: now[0])
    db: Database = server.db
    with db.session_scope(write=True) as s:
        token = create_token(s, "station", "ST01")
    with db.session_scope() as s:
        assert verifier.verify(s, token) is not None
    with db.session_scope(write=True) as s:
        revoke_token(s, token)
    now[0] = 9.9
    assert verifier.cached(token) is not None  # the documented window
    now[0] = 10.0
    assert verifier.cached(token) is None
    with db.session_scope() as s:
        assert verifier.verify(s, token) is None


def test_with_no_token_cache_a_revoked_token_is_refused_on_the_next_request(db_url: str) -> None:
    from fastapi.testclient import TestClient

    from app.server.app import create_app

    with TestClient(create_app(make_settings(db_url, token_cache_seconds=0))) as client:
        db: Database = client.app.state.db  # type: ignore[attr-defined]
        with db.session_scope(write=True) as s:
            token = create_token(s, "integration", "shop")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/orders", headers=headers).status_code == 200
        with db.session_scope(write=True) as s:
            revoke_token(s, token)
        assert client.get("/api/v1/orders", headers=headers).status_code == 401
