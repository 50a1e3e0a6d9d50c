"""`aisle token create | list | revoke`: API tokens. A new token is printed alone on the last line, once;
list and revoke never print a secret (only the hash is stored, and it is not shown either)."""

from __future__ import annotations

import argparse
from datetime import datetime

from app.cli import UserError
from app.cli.server import add_db_option, open_database, server_settings

ROLES = ("admin", "integration", "station", "supervisor")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("token", help="create, list and revoke API tokens")
    sub = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    c = sub.add_parser("create", help="create a token and print it (only its hash is stored)")
    c.add_argument("--role", required=True, choices=ROLES, help="what the token may do")
    c.add_argument("--name", default="", help="who or what uses it (shown in order histories)")
    add_db_option(c)
    c.set_defaults(handler=create)
    ls = sub.add_parser("list", help="list tokens: id, role, name, created, revoked (no secrets)")
    add_db_option(ls)
    ls.set_defaults(handler=list_)
    r = sub.add_parser("revoke", help="revoke a token by its id (see: aisle token list) or by its value")
    r.add_argument("token", metavar="ID_OR_TOKEN", help="the id from `aisle token list`, or the token itself")
    add_db_option(r)
    r.set_defaults(handler=revoke)


def create(args: argparse.Namespace) -> int:
    from app.server.access.auth import create_token  # lazy: the server's models, not for `aisle --help`

    db = open_database(server_settings(args).database_url)
    with db.session_scope(write=True) as session:
        token = create_token(session, args.role, args.name)
    print(f"New {args.role} token{f' for {args.name}' if args.name else ''}; it is shown only once:")
    print(token)
    return 0


def list_(args: argparse.Namespace) -> int:
    from app.server.access.auth import list_tokens  # lazy: as in create

    db = open_database(server_settings(args).database_url)
    with db.session_scope() as session:
        rows = [
            (str(t.id), t.role, t.name or "-", f"{t.created_at:%Y-%m-%d %H:%M}", _revoked(t.revoked_at))
            for t in list_tokens(session)
        ]
    if not rows:
        print("No tokens yet; make one with: aisle token create --role ROLE --name NAME")
        return 0
    header = ("ID", "ROLE", "NAME", "CREATED (UTC)", "REVOKED (UTC)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def revoke(args: argparse.Namespace) -> int:
    from app.server.access.auth import revoke_token  # lazy: as in create

    settings = server_settings(args)
    db = open_database(settings.database_url)
    try:
        with db.session_scope(write=True) as session:
            row = revoke_token(session, args.token)
            what = f"Token {row.id} ({row.role}{f', {row.name}' if row.name else ''})"
    except KeyError:
        raise UserError("No such token; list them with: aisle token list") from None
    print(
        f"{what} is revoked. Servers refuse it within {settings.token_cache_seconds:g} s "
        "(server.token_cache_seconds)."
    )
    return 0


def _revoked(at: datetime | None) -> str:
    return "-" if at is None else f"{at:%Y-%m-%d %H:%M}"
