"""Run sync from the command line or from a background (thread) worker in the TUI.

    stop = threading.Event()
    worker = SyncWorker(store, settings, Credentials(collar, pin), on_status=callback)
    worker.run(stop)          # blocks: push, pull, sleep, repeat, until stop is set
    worker.wake()             # after saving a record: sync now rather than at the next tick

`on_status` is called from the worker's thread with a `SyncStatus`; a Textual app
should hand it to the UI with `call_from_thread`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from firstresponse.config import Settings
from firstresponse.records import utcnow
from firstresponse.store import Store
from firstresponse.sync.backoff import Backoff
from firstresponse.sync.client import AuthFailure, Credentials, HubClient, SyncFailure
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from firstresponse.sync.status import SyncStatus

ClientFactory = Callable[[], HubClient]


def client_for(settings: Settings, credentials: Credentials) -> HubClient:
    return HubClient(settings.hub_url, settings.device_token, credentials)


def sync_once(store: Store, client: HubClient, previous: SyncStatus | None = None) -> SyncStatus:
    """Push the outbox, then pull; never raises for hub trouble (the status says why)."""
    status = replace(previous or SyncStatus(), last_attempt=utcnow(), retry_in=None)
    try:
        report = push_outbox(store, client)
        if report.stopped:
            status = replace(
                status, connected=False, last_error=report.stopped, auth_failed=report.auth_failed
            )
        else:
            pull_changes(store, client)
            status = replace(
                status, connected=True, last_error="", auth_failed=False, last_success=utcnow()
            )
    except SyncFailure as exc:
        status = replace(
            status,
            connected=False,
            last_error=str(exc),
            auth_failed=isinstance(exc, AuthFailure),
        )
    with store.session() as db:
        return status.with_counts(db)


class SyncWorker:
    """Sync on a timer, backing off with jitter while the hub cannot be reached."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        credentials: Credentials,
        on_status: Callable[[SyncStatus], None] | None = None,
        client_factory: ClientFactory | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.store = store
        self.interval = float(settings.sync_interval_seconds)
        self.on_status = on_status
        self.backoff = backoff or Backoff(cap=max(self.interval * 20, 60.0))
        self.status = SyncStatus()
        self._factory = client_factory or (lambda: client_for(settings, credentials))
        self._wake = threading.Event()

    def wake(self) -> None:
        """Sync as soon as possible (e.g. a record was just saved)."""
        self._wake.set()

    def step(self) -> float:
        """One sync; returns how long to wait before the next one."""
        try:
            with self._factory() as client:
                self.status = sync_once(self.store, client, self.status)
        except SyncFailure as exc:  # e.g. not configured or not enrolled
            self.status = replace(
                self.status,
                connected=False,
                last_error=str(exc),
                auth_failed=isinstance(exc, AuthFailure),
            )
        delay = self.interval if self.status.connected else self.backoff.next_delay()
        if self.status.connected:
            self.backoff.reset()
        self.status = replace(self.status, retry_in=delay)
        if self.on_status is not None:
            self.on_status(self.status)
        return delay

    def run(self, stop: threading.Event, max_steps: int | None = None) -> SyncStatus:
        """Loop until `stop` is set (or `max_steps` syncs have run)."""
        steps = 0
        while not stop.is_set() and (max_steps is None or steps < max_steps):
            delay = self.step()
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
            self._wake.clear()
            deadline = time.monotonic() + delay
            while not (stop.is_set() or self._wake.is_set()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(min(remaining, 0.25))
        return self.status
