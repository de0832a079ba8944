"""`firstresponse sync [--once] --as COLLAR`: push the outbox to the hub and pull what is new.

The officer signs in against the hub once (PIN from FIRSTRESPONSE_PIN or a prompt); the
session token carries every request after that. Records are filed on the hub under the
officer who made them (their signature travels with each record), not under whoever
runs this command.
"""

from __future__ import annotations

import argparse
import sys
import threading

from firstresponse.commands.officer import NotSignedIn, add_officer_options, collar_of, pin_for

SETUP_HINT = "run `firstresponse devices enrol NAME --as ADMIN --hub-url URL --write-config`"


def _fail(message: str, code: int = 1) -> int:
    print(f"firstresponse sync: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.users import open_store_or_explain
    from firstresponse.session.signin import apply_user_states
    from firstresponse.sync.client import Credentials
    from firstresponse.sync.status import SyncStatus
    from firstresponse.sync.worker import SyncWorker

    try:
        collar = collar_of(args)
        pin = pin_for(collar)
    except NotSignedIn as exc:
        return _fail(str(exc), 2)

    def show(status: SyncStatus) -> None:
        line = status.label
        if status.last_error:
            line += f" · {status.last_error}"
        if not status.connected and status.retry_in is not None and not args.once:
            line += f" · retrying in {status.retry_in:.0f}s"
        print(line, flush=True)

    store = open_store_or_explain(args, "sync")
    if store is None:
        return 1
    settings = args.settings
    if not settings.hub_url:
        store.close()
        return _fail(f"no hub configured: set hub_url in {settings.config_file} ({SETUP_HINT})")
    if not settings.device_token:
        store.close()
        return _fail(
            f"this terminal is not enrolled: no device_token in {settings.config_file} "
            f"({SETUP_HINT})"
        )
    try:
        worker = SyncWorker(
            store,
            settings,
            Credentials(collar.upper(), pin),
            on_status=show,
            on_users=apply_user_states,
        )
        worker.end_session = True
        status = worker.run(threading.Event(), max_steps=1 if args.once else None)
    finally:
        store.close()
    if status.auth_failed:
        return 3
    return 0 if status.connected and not status.waiting else 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync", help="push the outbox to the hub and pull assignments")
    parser.add_argument("--once", action="store_true", help="one push and pull, then exit")
    add_officer_options(parser, "collar number of the officer")
    parser.set_defaults(func=run)
