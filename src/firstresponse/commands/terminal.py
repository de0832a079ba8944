"""Open the terminal UI on the configured local store (the default when no verb is given)."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firstresponse.config import Settings
    from firstresponse.store import Store
    from firstresponse.tui.app import FirstResponseApp


def open_store(settings: Settings) -> Store:
    """The terminal's local store, migrated, encrypted when a store key is configured."""
    from firstresponse.store import Store

    return Store(settings.store_path, key=settings.store_key)


def terminal_app(settings: Settings, demo: bool = False) -> FirstResponseApp:
    """The terminal UI: the login screen shows at once, while the store opens on a thread.

    An encrypted store with no key configured is refused here, before any screen (a wrong
    key is found when the store opens: the app ends and `run_terminal` raises why).
    """
    from firstresponse.store.encryption import require_plain
    from firstresponse.tui.app import FirstResponseApp

    if not settings.store_key:
        require_plain(settings.store_path)
    return FirstResponseApp(settings, partial(open_store, settings), demo=demo)


def run_terminal(args: argparse.Namespace, demo: bool = False) -> int:
    app = terminal_app(args.settings, demo=demo)
    try:
        app.run()
    finally:
        app.context.close_store()  # raises why it could not open (the command reports it)
    return 0
