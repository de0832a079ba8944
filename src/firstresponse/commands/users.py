"""`firstresponse users add|list|reset-pin|unlock|deactivate`: who may use this terminal (admin).

The acting admin signs in with `--as COLLAR` and `--pin` (or FIRSTRESPONSE_COLLAR and
FIRSTRESPONSE_PIN, or a prompt: `commands.officer`). The role check happens in
`security.users`, not here. On an empty store, `users add` without `--as` creates the
first admin.

With `--hub-db TARGET` (a SQLite path or a PostgreSQL URL) the same verbs work on the
hub's users, whom every enrolled terminal signs in against. The hub's database must exist
already, except for the first admin: `users add COLLAR --name NAME --role admin --hub-db
TARGET` creates the database (on a PostgreSQL URL, its tables) and its first admin.
A PIN reset, lock or deactivation on the hub ends that officer's sessions at once, and
terminals learn of it at their next sync.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from firstresponse.commands.databases import DatabaseError, add_hub_db_option, open_hub
from firstresponse.commands.officer import COLLAR_ENV, PIN_ENV, sign_in
from firstresponse.wording import plural

if TYPE_CHECKING:
    from sqlmodel import Session

    from firstresponse.records import User

NEW_PIN_ENV = "FIRSTRESPONSE_NEW_PIN"
__all__ = ["COLLAR_ENV", "PIN_ENV", "REFUSED", "acting_user", "open_store_or_explain"]

#: Exit code when sign-in or the role check refuses the command.
REFUSED = 2


class RoleChoices:
    """The role names, read from `records` only when a users command is parsed or helped."""

    def _names(self) -> list[str]:
        from firstresponse.records import Role

        return [r.value for r in Role]

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


class CommandError(Exception):
    """A command cannot run; the message says why."""


def add_actor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="collar", default="", help="your collar number")
    parser.add_argument("--pin", default="", help="your PIN (else $FIRSTRESPONSE_PIN or a prompt)")


def acting_user(args: argparse.Namespace, db: Session) -> User:
    """Sign in the person running the command (`commands.officer.sign_in`)."""
    return sign_in(db, args)


class HubUsers:
    """The hub's database, opened like a store (`session()`, `close()`)."""

    def __init__(self, target: str, *, create: bool = False) -> None:
        self.engine = open_hub(target, create=create)

    def session(self) -> Any:
        from firstresponse.hub.db import transaction

        return transaction(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def open_store_or_explain(args: argparse.Namespace, verb: str) -> Any:
    """The terminal's store (or with --hub-db, the hub's database), or None after printing
    why it cannot be opened (e.g. wrong key)."""
    from firstresponse.commands.terminal import open_store
    from firstresponse.store.encryption import StoreKeyError

    if getattr(args, "hub_db", ""):
        try:
            return HubUsers(args.hub_db, create=_may_create(args))
        except DatabaseError as exc:
            print(f"firstresponse {verb}: {exc}", file=sys.stderr)
            return None

    try:
        return open_store(args.settings)
    except StoreKeyError as exc:
        print(f"firstresponse {verb}: {exc}", file=sys.stderr)
        return None


def _may_create(args: argparse.Namespace) -> bool:
    """Only the first admin (`users add ... --role admin` without `--as`) makes a new hub."""
    first = not (getattr(args, "collar", "") or os.environ.get(COLLAR_ENV))
    return getattr(args, "action", "") == "add" and args.role == "admin" and first


def _new_pin(args: argparse.Namespace, collar: str) -> str:
    pin = args.new_pin or os.environ.get(NEW_PIN_ENV, "")
    if pin or not sys.stdin.isatty():
        return pin
    pin = getpass.getpass(f"new PIN for {collar}: ")
    if getpass.getpass("again: ") != pin:
        raise CommandError("the two PINs differ")
    return pin


def _row(user: User) -> dict[str, object]:
    return {
        "collar": user.collar,
        "name": user.name,
        "role": user.role,
        "team": user.team,
        "active": user.active,
        "locked": user.locked,
        "failed_attempts": user.failed_attempts,
    }


def _print_users(rows: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "inactive" if not row["active"] else "LOCKED" if row["locked"] else "active"
        role = str(row["role"]).replace("_", " ")
        print(f"{row['collar']:<8} {row['name']:<28} {role:<13} {row['team']:<12} {state}")
    print(plural(len(rows), "user"))


def _first_admin(args: argparse.Namespace, db: Session) -> User:
    from firstresponse.records import Role
    from firstresponse.security import users

    if args.role != Role.ADMIN:
        raise CommandError("this store has no users yet: the first one must be --role admin")
    return users.bootstrap_admin(db, args.target, args.name, args.team, _new_pin(args, args.target))


def _carry_out(args: argparse.Namespace, db: Session) -> str:
    from sqlmodel import select

    from firstresponse.records import User
    from firstresponse.security import users
    from firstresponse.security.permissions import Action, require

    empty = db.exec(select(User).limit(1)).first() is None
    if args.action == "add" and empty and not (args.collar or os.environ.get(COLLAR_ENV)):
        user = _first_admin(args, db)
        return f"first admin {user.collar} added"
    admin = acting_user(args, db)
    if args.action == "list":
        require(admin, Action.MANAGE_USERS)
        _print_users([_row(u) for u in users.list_users(db)], args.json)
        return ""
    if args.action == "add":
        require(admin, Action.MANAGE_USERS)  # before asking for the new PIN
        pin = _new_pin(args, args.target)
        user = users.add_user(db, admin, args.target, args.name, args.role, args.team, pin)
        return f"{user.collar} {user.name} added as {user.role.replace('_', ' ')}"
    if args.action == "reset-pin":
        require(admin, Action.MANAGE_USERS)
        user = users.reset_pin(db, admin, args.target, _new_pin(args, args.target))
        _end_sessions(args, db, user, "PIN changed")
        return f"PIN for {user.collar} reset"
    if args.action == "unlock":
        return f"{users.unlock(db, admin, args.target).collar} unlocked"
    if args.action == "lock":
        user = users.lock(db, admin, args.target)
        _end_sessions(args, db, user, "locked by an admin")
        return f"{user.collar} locked"
    user = users.deactivate(db, admin, args.target)
    _end_sessions(args, db, user, "deactivated")
    return f"{user.collar} deactivated"


def _end_sessions(args: argparse.Namespace, db: Session, user: User, reason: str) -> None:
    """On the hub, the officer's sessions end now (terminals learn at their next sync)."""
    if getattr(args, "hub_db", ""):
        from firstresponse.hub.auth import revoke_sessions

        revoke_sessions(db, user_id=user.id, reason=reason)


def run(args: argparse.Namespace) -> int:
    from firstresponse.security.users import UserError

    store = open_store_or_explain(args, "users")
    if store is None:
        return 1
    try:
        with store.session() as db:
            message = _carry_out(args, db)
    except PermissionError as exc:  # not signed in, sign-in refused, or not allowed
        print(f"firstresponse users: {exc}", file=sys.stderr)
        return REFUSED
    except (UserError, CommandError) as exc:
        print(f"firstresponse users: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    if message:
        print(message)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "users", help="add, list, lock, unlock or deactivate users, on a terminal or a hub (admin)"
    )
    verbs = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = verbs.add_parser("add", help="add a user")
    add.add_argument("target", metavar="COLLAR", help="the new user's collar number")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument(
        "--role",
        required=True,
        choices=RoleChoices(),
        metavar="ROLE",
        help="call_handler, responder, supervisor or admin",
    )
    add.add_argument("--team", default="", help="team, e.g. Alpha")
    add.add_argument("--new-pin", default="", help="their PIN (else $FIRSTRESPONSE_NEW_PIN)")
    listing = verbs.add_parser("list", help="list users")
    listing.add_argument("--json", action="store_true", help="print JSON")
    reset = verbs.add_parser("reset-pin", help="set a new PIN for a user")
    reset.add_argument("target", metavar="COLLAR")
    reset.add_argument("--new-pin", default="", help="their PIN (else $FIRSTRESPONSE_NEW_PIN)")
    for name, text in (
        ("unlock", "unlock a user an admin locked (and clear wrong PINs counted)"),
        ("lock", "lock a user until an admin unlocks them"),
        ("deactivate", "stop a user signing in (kept for the audit trail)"),
    ):
        verbs.add_parser(name, help=text).add_argument("target", metavar="COLLAR")
    for verb in verbs.choices.values():
        add_actor_options(verb)
        add_hub_db_option(verb)
    parser.set_defaults(func=run)
