"""`firstresponse devices enrol|revoke|list`: which terminals may talk to the hub (admin).

Run where the hub's database can be reached. `enrol` prints the device token once and
the one command that sets the terminal up with it (`firstresponse setup`); with
`--write-config` it writes hub_url and device_token into this machine's config file
itself (a terminal beside the hub, or the demo).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from firstresponse.commands.hub import add_db_option, hub_target

PIN_ENV = "FIRSTRESPONSE_PIN"


class NoPin(Exception):
    """No PIN in the environment and no terminal to ask at."""


def _pin(collar: str) -> str:
    pin = os.environ.get(PIN_ENV, "")
    if not pin and sys.stdin.isatty():
        try:
            pin = getpass.getpass(f"PIN for {collar}: ")
        except EOFError:
            pin = ""
    if not pin:
        raise NoPin(f"no PIN for {collar}: set {PIN_ENV} or run this at a terminal")
    return pin


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
    print(f"  firstresponse setup --hub {hub_url} --token {token}")


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
                _enrolled(args, device.name, token)
            else:
                device = admin.revoke(db, user, args.name)
                print(f"device {device.name} revoked: it is refused from its next request")
        return 0
    except (admin.AdminError, PermissionError) as exc:
        print(f"firstresponse devices: {exc}", file=sys.stderr)
        return 1
    except NoPin as exc:
        print(f"firstresponse devices: {exc}", file=sys.stderr)
        return 2
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
        if action == "enrol":
            one.add_argument(
                "--hub-url", default="", help="the hub's address as terminals reach it"
            )
            one.add_argument(
                "--write-config",
                action="store_true",
                help="write hub_url and device_token into this machine's config.toml",
            )
    listing = verbs.add_parser("list", help="list devices")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(listing)
    parser.set_defaults(func=run)
