"""`firstresponse demo`: the terminal on its embedded demo store, seeded on first use
(`demo.seed`; users CH1001..AD4001, every PIN 1234), with a local hub beside it in its own
process (`commands.demo_hub`) as a force deploys it: officers sign in against the hub and
records go from waiting to synced. `--offline` runs the terminal alone, on its own store.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by every command line: stay light
    from firstresponse.config import Settings
    from firstresponse.store import Store


def _open_demo_store(settings: Settings) -> Store:
    from firstresponse.demo.seed import prepare_demo_store

    return prepare_demo_store(settings)


def _run_at_once(settings: Settings, *, with_hub: bool) -> int:
    """A demo store made before: the login screen shows at once and the store opens behind
    it, as `firstresponse` does (the database code loads after the first frame; a store
    whose seeding never finished is seeded again there). `with_hub`: the demo hub seeded for
    this store on an earlier run starts beside it, not waited for (officers take longer to
    type a collar and PIN than it takes to answer)."""
    from firstresponse.tui.app import FirstResponseApp

    settings.hub_url = settings.device_token = ""  # never a force's hub configured here
    hub = None
    if with_hub:
        from firstresponse.commands.demo_hub import seeded_before, spawn_demo_hub

        if (seeded := seeded_before(settings)) is not None:
            hub = spawn_demo_hub(settings, *seeded)
    app = FirstResponseApp(settings, partial(_open_demo_store, settings), demo=True)
    try:
        app.run()
    finally:
        app.context.close_store()
        if hub is not None:
            hub.stop()
    return 0


def _at_once(settings: Settings, args: argparse.Namespace) -> bool:
    """Whether this start can skip preparing: a demo store made before and, with the hub,
    a demo hub already seeded for it."""
    from firstresponse.commands.demo_hub import seeded_before

    if args.reset or args.seed_only or not (settings.data_dir / "demo.db").exists():
        return False  # demo.seed.demo_store_path
    return args.offline or seeded_before(settings) is not None


def run(args: argparse.Namespace) -> int:
    settings = args.settings
    if _at_once(settings, args):
        return _run_at_once(settings, with_hub=not args.offline)
    from firstresponse.commands.demo_hub import forget_demo_hub
    from firstresponse.demo.seed import demo_store_path, prepare_demo_store, remove_store
    from firstresponse.tui.app import FirstResponseApp

    if args.reset:
        forget_demo_hub(settings)
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
