"""`firstresponse setup --hub URL --token TOKEN`: make this laptop a terminal of a hub.

Checks the device token with the hub, then writes `hub_url` and `device_token` into this
terminal's config file (printed), so the next sign-in goes to the hub. A terminal that
is already running takes them up within seconds.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

TOKEN_ENV = "FIRSTRESPONSE_DEVICE_TOKEN"


def run(args: argparse.Namespace) -> int:
    from firstresponse.config import write_settings
    from firstresponse.sync.client import AuthFailure, HubClient, SyncFailure

    if not args.hub.startswith(("http://", "https://")):
        print(
            f"firstresponse setup: --hub is the hub's web address (https://...), not {args.hub!r}",
            file=sys.stderr,
        )
        return 2
    token = args.token or os.environ.get(TOKEN_ENV, "")
    if not token and sys.stdin.isatty():
        token = getpass.getpass("device token (from `firstresponse devices enrol`): ").strip()
    if not token:
        print(f"firstresponse setup: give --token (or set {TOKEN_ENV})", file=sys.stderr)
        return 2
    settings = args.settings
    try:
        with HubClient(args.hub, token, timeout=10) as client:
            name = client.device()
    except AuthFailure as exc:
        print(f"firstresponse setup: the hub refused this token: {exc}", file=sys.stderr)
        return 3
    except SyncFailure as exc:
        print(f"firstresponse setup: cannot reach the hub at {args.hub}: {exc}", file=sys.stderr)
        return 1
    write_settings(settings.config_file, {"hub_url": args.hub, "device_token": token})
    print(f"this terminal is {name} on {args.hub}")
    print(f"hub_url and device_token written to {settings.config_file}")
    print("Officers known to the hub can now sign in here (the first time while online).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("setup", help="connect this terminal to a hub with its device token")
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. http://hub:8700")
    parser.add_argument(
        "--token",
        default="",
        help="device token from `devices enrol` (write --token=TOKEN: a token may begin with -)",
    )
    parser.set_defaults(func=run)
