"""Open the terminal UI on the configured local store (the default when no verb is given)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firstresponse.config import Settings
    from firstresponse.store import Store


def open_store(settings: Settings) -> Store:
    """The terminal's local store, migrated, encrypted when a store key is configured."""
    from firstresponse.store import Store

    return Store(settings.store_path, key=settings.store_key)


def run_terminal(args: argparse.Namespace, demo: bool = False) -> int:
    from firstresponse.tui.app import FirstResponseApp

    store = open_store(args.settings)
    try:
        FirstResponseApp(args.settings, store, demo=demo).run()
    finally:
        store.close()
    return 0
