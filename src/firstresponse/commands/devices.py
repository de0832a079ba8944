"""`firstresponse devices enrol|revoke|list`: which terminals may talk to the hub (admin)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from firstresponse.commands.hub import add_db_option, hub_target

PIN_ENV = "FIRSTRESPONSE_PIN"


def _pin(collar: str) -> str:
    return os.environ.get(PIN_ENV) or getpass.getpass(f"PIN for {collar}: ")


def run(args: argparse.Namespace) -> int:
    from firstresponse.hub import admin
    from firstresponse.hub.db import hub_engine, transaction

    engine = hub_engine(hub_target(args))
    try:
        with transaction(engine) as db:
            if args.action == "list":
                rows = [
                    {
                        "name": d.name,
                        "enrolled": d.created_at.isoformat(),
                        "by": d.created_by,
                        "revoked": d.revoked_at.isoformat() if d.revoked_at else "",
                    }
                    for d in admin.devices(db)
                ]
                if args.json:
                    print(json.dumps(rows, indent=2))
                for row in [] if args.json else rows:
                    state = f"revoked {row['revoked']}" if row["revoked"] else "active"
                    print(f"{row['name']:<24} {state:<40} enrolled by {row['by']}")
                return 0
            user = admin.sign_in_admin(db, args.collar, _pin(args.collar))
            if args.action == "enrol":
                device, token = admin.enrol(db, user, args.name)
                print(f"device {device.name} enrolled. Its token (shown once, keep it secret):")
                print(token)
            else:
                device = admin.revoke(db, user, args.name)
                print(f"device {device.name} revoked: it is refused from its next request")
        return 0
    except (admin.AdminError, PermissionError) as exc:
        print(f"firstresponse devices: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("devices", help="enrol, revoke or list terminals on the hub (admin)")
    verbs = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("enrol", "issue a token for a new terminal"),
        ("revoke", "lock a terminal out at once"),
    ):
        one = verbs.add_parser(action, help=text)
        one.add_argument("name", help="device name, e.g. MDT-0417")
        one.add_argument("--as", dest="collar", required=True, help="admin collar number")
        add_db_option(one)
    listing = verbs.add_parser("list", help="list devices")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(listing)
    parser.set_defaults(func=run)
