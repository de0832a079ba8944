"""`firstresponse demo`: the terminal on its embedded demo store, seeded on first use
(`demo.seed`; users CH1001..AD4001, every PIN 1234), with a local hub beside it in its own
process (`commands.demo_hub`) as a force deploys it: officers sign in against the hub and
records go from waiting to synced. `--offline` runs the terminal alone, on its own store.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from firstresponse.demo.seed import demo_store_path, prepare_demo_store, remove_store
    from firstresponse.tui.app import FirstResponseApp

    settings = args.settings
    if args.reset:
        remove_store(demo_store_path(settings))
    store = prepare_demo_store(settings)
    if args.seed_only:
        print(f"demo store ready: {store.path}")
        store.close()
        return 0
    settings.hub_url = settings.device_token = ""  # never a force's hub configured here
    hub = None
    if not args.offline:
        from firstresponse.commands.demo_hub import start_demo_hub

        try:
            hub = start_demo_hub(settings, store)
        except RuntimeError as exc:  # the terminal still works on its own store
            print(f"firstresponse: {exc}; the demo runs offline", file=sys.stderr)
    try:
        FirstResponseApp(settings, store, demo=True).run()
    finally:
        store.close()
        if hub is not None:
            hub.stop()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="open the terminal on the embedded demo with a local hub beside it "
        "(users CH1001..AD4001, PIN 1234)",
    )
    parser.add_argument("--reset", action="store_true", help="throw the demo store away first")
    parser.add_argument("--seed-only", action="store_true", help="prepare the demo store and exit")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="no hub: the terminal alone on its demo store, as on a laptop with no signal",
    )
    parser.add_argument(
        "--with-hub",
        action="store_true",
        help=argparse.SUPPRESS,  # the default now; kept so earlier command lines still run
    )
    parser.set_defaults(func=run)
