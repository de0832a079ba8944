"""Sends the sign-outs the hub has not heard of while nobody is signed in on the terminal.

An officer who signs out while the hub is away leaves the sign-out in the store
(sync.signouts). Their sync link has stopped, so this courier, started by the link at
sign-out, asks the hub's health check (jittered, at most `RETRY_CAP` seconds apart) and
sends them as soon as it answers. It ends then, or when an officer signs in: their link
sends them at its first sync instead.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy.engine import Engine

from firstresponse.config import Settings
from firstresponse.store import Store
from firstresponse.sync import signouts
from firstresponse.sync.backoff import Backoff
from firstresponse.sync.client import HubClient, SyncFailure
from firstresponse.sync.worker import RETRY_BASE, RETRY_CAP

_RUNNING: weakref.WeakKeyDictionary[Engine, threading.Event] = weakref.WeakKeyDictionary()


def deliver(store: Store, settings: Settings, stop: threading.Event) -> None:
    """Until `stop`, try the hub now and then; send the waiting sign-outs when it answers."""
    backoff = Backoff(base=RETRY_BASE, cap=RETRY_CAP)
    while not stop.wait(backoff.next_delay()) and signouts.waiting(store):
        try:
            with HubClient(settings.hub_url, settings.device_token, timeout=5.0) as client:
                if client.health():
                    signouts.send(store, client)
        except SyncFailure:
            continue  # still away (or not enrolled): try again later


def start(store: Store, settings: Settings) -> threading.Thread | None:
    """Run `deliver` on a thread for `store`, unless nothing waits or one already runs."""
    if store.engine in _RUNNING or not signouts.waiting(store):
        return None
    stop = threading.Event()
    _RUNNING[store.engine] = stop

    def run() -> None:
        try:
            deliver(store, settings, stop)
        finally:
            if _RUNNING.get(store.engine) is stop:
                del _RUNNING[store.engine]

    thread = threading.Thread(target=run, name="sign-out-courier", daemon=True)
    thread.start()
    return thread


def stop(store: Store) -> None:
    """An officer signed in: their sync link sends what waits."""
    running = _RUNNING.pop(store.engine, None)
    if running is not None:
        running.set()
