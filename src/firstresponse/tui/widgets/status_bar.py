"""The status bar on every responder screen: connection state and records waiting.

`StatusBar` re-reads the outbox counts every second and shows the latest `SyncStatus`
from the app's sync link. `start_sync(app)` starts one `SyncWorker` per app in a thread
worker when `settings.hub_url` is set; without a hub the terminal is, and says, offline.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

from textual.app import App
from textual.widgets import Static

from firstresponse.sync.status import SyncStatus

NO_HUB = "offline (no hub set)"


@dataclass
class SyncLink:
    """One app's sync state: the newest status and how to stop the worker."""

    status: SyncStatus | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    worker: object | None = None  # the SyncWorker, once started

    def wake(self) -> None:
        """Ask the worker to sync now (e.g. after a submission)."""
        wake = getattr(self.worker, "wake", None)
        if wake is not None:
            wake()


_LINKS: weakref.WeakKeyDictionary[App[Any], SyncLink] = weakref.WeakKeyDictionary()


def sync_link(app: App[Any]) -> SyncLink:
    link = _LINKS.get(app)
    if link is None:
        link = _LINKS[app] = SyncLink()
    return link


def start_sync(app: App[Any]) -> SyncLink:
    """Start syncing in a thread worker if a hub is configured (once per app)."""
    link = sync_link(app)
    settings = getattr(app, "settings", None)
    user = getattr(app, "user", None)
    if link.worker is not None or settings is None or not settings.hub_url or user is None:
        return link
    from firstresponse.sync.client import Credentials
    from firstresponse.sync.worker import SyncWorker

    def on_status(status: SyncStatus) -> None:
        app.call_from_thread(setattr, link, "status", status)

    credentials = getattr(app, "credentials", None) or Credentials(user.collar, "")
    worker = SyncWorker(app.store, settings, credentials, on_status=on_status)  # type: ignore[attr-defined]
    link.worker = worker
    app.run_worker(
        lambda: worker.run(link.stop), thread=True, name="sync", group="sync", exit_on_error=False
    )
    return link


def stop_sync(app: App[Any]) -> None:
    """Let the sync thread finish (on leaving the home screen, signing out or exiting).

    The link is forgotten, so the next officer to sign in syncs under their own name.
    """
    link = _LINKS.pop(app, None)
    if link is not None:
        link.stop.set()


class StatusBar(Static):
    """One line: 'online · 3 waiting', 'offline (no hub set) · 12 waiting' ..."""

    DEFAULT_CSS = """
    StatusBar { height: 1; padding: 0 1; background: $panel; color: $text; }
    StatusBar.-offline { background: $warning 30%; }
    StatusBar.-attention { background: $error 40%; }
    """

    def __init__(self, *, id: str | None = "status-bar") -> None:
        super().__init__("", markup=False, id=id)

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)

    def current(self) -> SyncStatus:
        """The newest status with fresh outbox counts."""
        app = self.app
        link = sync_link(app)
        status = link.status or SyncStatus()
        settings = getattr(app, "settings", None)
        if settings is None or not settings.hub_url:
            status = replace(status, connected=False)
        with app.store.session() as db:  # type: ignore[attr-defined]
            return status.with_counts(db)

    def refresh_status(self) -> None:
        status = self.current()
        settings = getattr(self.app, "settings", None)
        text = status.label
        if settings is None or not settings.hub_url:
            text = text.replace("offline", NO_HUB, 1)
        elif status.last_error and not status.connected:
            text += f" · {status.last_error[:40]}"
        self.update(f"Sync: {text}")
        self.set_class(not status.connected, "-offline")
        self.set_class(bool(status.quarantined) or status.auth_failed, "-attention")
