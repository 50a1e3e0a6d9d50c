"""`aisle token create --role ROLE`: make a bearer token; it is printed alone on the last line."""

from __future__ import annotations

import argparse

from app.cli.server import add_db_option, open_database, server_settings

ROLES = ("admin", "integration", "station", "supervisor")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("token", help="create API tokens")
    sub = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    c = sub.add_parser("create", help="create a token and print it (only its hash is stored)")
    c.add_argument("--role", required=True, choices=ROLES, help="what the token may do")
    c.add_argument("--name", default="", help="who or what uses it (shown in order histories)")
    add_db_option(c)
    c.set_defaults(handler=create)


def create(args: argparse.Namespace) -> int:
    from sync.server.auth import create_token

    db = open_database(server_settings(args).database_url)
    with db.session_scope(write=True) as session:
        token = create_token(session, args.role, args.name)
    print(f"New {args.role} token{f' for {args.name}' if args.name else ''}; it is shown only once:")
    print(token)
    return 0
