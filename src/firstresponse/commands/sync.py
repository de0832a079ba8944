"""`firstresponse sync [--once]`: push the outbox to the hub and pull what is new."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading

PIN_ENV = "FIRSTRESPONSE_PIN"
COLLAR_ENV = "FIRSTRESPONSE_COLLAR"


def run(args: argparse.Namespace) -> int:
    from firstresponse.commands.terminal import open_store
    from firstresponse.sync.client import Credentials
    from firstresponse.sync.status import SyncStatus
    from firstresponse.sync.worker import SyncWorker

    collar = args.collar or os.environ.get(COLLAR_ENV, "")
    if not collar:
        print("firstresponse sync: give --as COLLAR (or set FIRSTRESPONSE_COLLAR)", file=sys.stderr)
        return 2
    pin = os.environ.get(PIN_ENV) or getpass.getpass(f"PIN for {collar}: ")

    def show(status: SyncStatus) -> None:
        line = status.label
        if status.last_error:
            line += f" · {status.last_error}"
        if not status.connected and status.retry_in is not None and not args.once:
            line += f" · retrying in {status.retry_in:.0f}s"
        print(line, flush=True)

    store = open_store(args.settings)
    try:
        worker = SyncWorker(store, args.settings, Credentials(collar, pin), on_status=show)
        status = worker.run(threading.Event(), max_steps=1 if args.once else None)
    finally:
        store.close()
    if status.auth_failed:
        return 3
    return 0 if status.connected and not status.waiting else 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync", help="push the outbox to the hub and pull assignments")
    parser.add_argument("--once", action="store_true", help="one push and pull, then exit")
    parser.add_argument("--as", dest="collar", default="", help="collar number of the officer")
    parser.set_defaults(func=run)
