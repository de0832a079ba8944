"""`firstresponse devices enrol|revoke|list`: which terminals may talk to the hub (admin).

Run where the hub's database can be reached (`--hub-db`, which must exist already; see
`commands.databases`), signed in as an admin (`--as`, PIN as in `commands.officer`).
`enrol` prints the device token once and the one command that sets the terminal up with
it (`firstresponse setup`); with `--write-config` it writes hub_url and device_token into
this machine's config file itself (a terminal beside the hub, or the demo).
"""

from __future__ import annotations

import argparse
import json
import sys

from firstresponse.commands.databases import (
    DatabaseError,
    add_hub_db_option,
    hub_target,
    open_hub,
)
from firstresponse.commands.officer import add_officer_options, refused, sign_in


def setup_line(hub_url: str, token: str) -> str:
    """The command that makes a laptop this device (`--token=`: a token may start with -)."""
    return f"firstresponse setup --hub {hub_url} --token={token}"


def _enrolled(args: argparse.Namespace, name: str, token: str) -> None:
    """Say what to do with the token, or write it into this machine's config."""
    from firstresponse.config import write_settings

    settings = args.settings
    hub_url = args.hub_url or settings.hub_url or "http://HUB-ADDRESS:8700"
    if args.write_config:
        write_settings(settings.config_file, {"hub_url": hub_url, "device_token": token})
        print(f"device {name} enrolled; hub_url and device_token written to {settings.config_file}")
        print("A running terminal takes them up within seconds; no restart needed.")
        return
    print(f"device {name} enrolled. Its token (shown once, keep it secret):")
    print(token)
    print("On the terminal, run once (it checks the token with the hub and writes its config):")
    print(f"  {setup_line(hub_url, token)}")


def _list(args: argparse.Namespace, db: object) -> None:
    from firstresponse.hub import admin

    rows = [
        {
            "name": d.name,
            "enrolled": d.created_at.isoformat(),
            "by": d.created_by,
            "revoked": d.revoked_at.isoformat() if d.revoked_at else "",
        }
        for d in admin.devices(db)  # type: ignore[arg-type]
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = f"revoked {row['revoked']}" if row["revoked"] else "active"
        print(f"{row['name']:<24} {state:<40} enrolled by {row['by']}")


def run(args: argparse.Namespace) -> int:
    from firstresponse.hub import admin
    from firstresponse.hub.db import transaction
    from firstresponse.security.permissions import Action

    hub_url = getattr(args, "hub_url", "")
    if hub_url and not hub_url.startswith(("http://", "https://")):
        print(
            f"firstresponse devices: --hub-url is the hub's web address as terminals reach it"
            f" (https://...), not {hub_url!r}",
            file=sys.stderr,
        )
        return 2
    try:
        engine = open_hub(hub_target(args))
    except DatabaseError as exc:
        print(f"firstresponse devices: {exc}", file=sys.stderr)
        return 2
    try:
        with transaction(engine) as db:
            user = sign_in(db, args, Action.MANAGE_DEVICES)
            if args.action == "list":
                _list(args, db)
            elif args.action == "enrol":
                device, token = admin.enrol(db, user, args.name)
                _enrolled(args, device.name, token)
            else:
                device = admin.revoke(db, user, args.name)
                print(f"device {device.name} revoked: it is refused from its next request")
        return 0
    except admin.AdminError as exc:
        print(f"firstresponse devices: {exc}", file=sys.stderr)
        return 1
    except PermissionError as exc:
        return refused("devices", exc)
    finally:
        engine.dispose()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("devices", help="enrol, revoke or list terminals on the hub (admin)")
    verbs = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("enrol", "issue a token for a new terminal"),
        ("revoke", "lock a terminal out at once"),
        ("list", "list devices"),
    ):
        one = verbs.add_parser(action, help=text)
        if action != "list":
            one.add_argument("name", help="device name, e.g. MDT-0417")
        add_officer_options(one, "admin collar number")
        add_hub_db_option(one, db_alias=True)
        if action == "enrol":
            one.add_argument(
                "--hub-url", default="", help="the hub's address as terminals reach it"
            )
            one.add_argument(
                "--write-config",
                action="store_true",
                help="write hub_url and device_token into this machine's config.toml",
            )
        if action == "list":
            one.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)
