"""`firstresponse demo`: the terminal on its embedded demo store, seeded on first use
(`demo.seed`; users CH1001..AD4001, every PIN 1234)."""

from __future__ import annotations

import argparse


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
    hub = None
    if args.with_hub:
        from firstresponse.commands.demo_hub import start_demo_hub

        hub = start_demo_hub(settings, store)
    try:
        FirstResponseApp(settings, store, demo=True).run()
    finally:
        store.close()
        if hub is not None:
            hub.stop()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo", help="open the terminal on the embedded demo (users CH1001..AD4001, PIN 1234)"
    )
    parser.add_argument("--reset", action="store_true", help="throw the demo store away first")
    parser.add_argument("--seed-only", action="store_true", help="prepare the demo store and exit")
    parser.add_argument(
        "--with-hub",
        action="store_true",
        help="start a local hub beside the terminal and sync with it (see README)",
    )
    parser.set_defaults(func=run)
