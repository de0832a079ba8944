"""Run sync from the command line or from a background thread (sync.link) in the terminal.

    stop = threading.Event()
    worker = SyncWorker(store, settings, SessionToken(collar, token), on_status=callback)
    worker.run(stop)          # blocks: sync, wait on the hub, repeat, until stop is set
    worker.wake()             # after saving a record, or the officer's "sync now" key

One step pushes the outbox, pulls what is new, then brings the hub's view of this
device's officers, the roster its lists name (sync.roster) and the records the hub holds
waiting for a parent. Between steps the worker waits on the hub for this officer's next
change (a pull with `wait`, sync.waiting): what arrives is filed at once; a saved record
(or the officer's key) brings a full step at once while that pull goes on waiting; one
runs anyway every `REFRESH_EVERY` seconds (every interval while the hub holds records).
A hub that answers such a pull at once (one from before it held them) is asked every
`sync_interval_seconds` instead. While the hub cannot be reached, the worker waits a
short, jittered delay (at most `RETRY_CAP` seconds) and asks the hub's health check,
which needs no sign-in and costs the hub almost nothing, before it tries a full sync
again: records waiting leave within seconds of the hub coming back. A revoked session
or device ends the waiting pull with 401 within seconds (hub.wakeup). `on_status` is
called from the worker's thread.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session

from firstresponse.config import ConfigWatcher, Settings
from firstresponse.records import utcnow
from firstresponse.store import Store
from firstresponse.sync import held as held_records
from firstresponse.sync import roster, signouts
from firstresponse.sync.backoff import Backoff
from firstresponse.sync.client import (
    AuthFailure,
    Credentials,
    HubClient,
    NetworkFailure,
    SessionToken,
    SyncFailure,
)
from firstresponse.sync.protocol import UserState
from firstresponse.sync.pull import pull_changes
from firstresponse.sync.push import push_outbox
from firstresponse.sync.status import NO_HUB, SyncStatus
from firstresponse.sync.waiting import WaitingPull, file_if_current

RETRY_BASE = 1.0
RETRY_CAP = 10.0  # seconds: the longest wait between attempts while the hub is away
WAIT_ON_HUB = 25.0  # seconds a pull waits on the hub for a change (less up to a fifth)
REFRESH_EVERY = 300.0  # seconds between full syncs while changes come by waiting pulls

ClientFactory = Callable[[], HubClient]
#: Applies the hub's view of this device's officers to the store (session.signin).
UsersHook = Callable[[Session, list[UserState]], object]


def client_for(settings: Settings, credentials: Credentials | SessionToken | None) -> HubClient:
    return HubClient(settings.hub_url, settings.device_token, credentials)


def _offline(status: SyncStatus, error: str, auth: bool = False) -> SyncStatus:
    since = status.offline_since if status.connected is False else None
    return replace(
        status,
        connected=False,
        last_error=error,
        auth_failed=auth,
        offline_since=since or utcnow(),
    )


def sync_once(
    store: Store,
    client: HubClient,
    previous: SyncStatus | None = None,
    on_users: UsersHook | None = None,
) -> SyncStatus:
    """Push the outbox, pull, refresh officers and held records; never raises for hub
    trouble (the status says why)."""
    status = replace(previous or SyncStatus(), last_attempt=utcnow(), retry_in=None)
    try:
        if on_users is not None:
            users = client.users()  # first: it needs no session, and may say why ours ended
            with store.session() as db:
                on_users(db, users)
        if signouts.waiting(store):
            signouts.send(store, client)  # officers who signed out while the hub was away
        report = push_outbox(store, client)
        if report.stopped:
            status = _offline(status, report.stopped, report.auth_failed)
        else:
            pulled = pull_changes(store, client)
            roster.refresh(store, client)  # every officer's team, for lists and figures
            holding = client.held()
            with store.session() as db:
                held_records.replace_held(db, holding)
                parents = held_records.send_parents(db)
            if parents:
                push_outbox(store, client)  # the hub files what waited as they arrive
                with store.session() as db:
                    held_records.replace_held(db, client.held())  # what still waits
            status = replace(
                status,
                connected=True,
                last_error="",
                auth_failed=False,
                offline_since=None,
                last_success=utcnow(),
                pulled=status.pulled + pulled,
            )
    except SyncFailure as exc:
        status = _offline(status, str(exc), isinstance(exc, AuthFailure))
    with store.session() as db:
        return status.with_counts(db)


class SyncWorker:
    """Sync on a timer; while the hub is away, retry often with jitter, health check first."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        credentials: Credentials | SessionToken | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        client_factory: ClientFactory | None = None,
        backoff: Backoff | None = None,
        watch_config: bool = False,
        on_users: UsersHook | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.on_status = on_status
        self.backoff = backoff or Backoff(base=RETRY_BASE, cap=RETRY_CAP)
        self.status = SyncStatus(configured=bool(settings.hub_url))
        self.credentials = credentials
        self.on_users = on_users
        self._factory = client_factory
        self._client: HubClient | None = None
        self._client_for: tuple[str, str] = ("", "")
        self._watcher = ConfigWatcher(settings) if watch_config else None
        self._wake = threading.Event()
        self._asked = False  # wake() was called: someone wants a sync now
        self._hub_waits = True  # the hub holds a pull with `wait` (see `_file`)
        self._wait_failed = False
        self._next_look = 0.0
        self._lock = threading.Lock()
        self.end_session = False  # sign out on the hub when `run` ends (the officer signed out)

    @property
    def interval(self) -> float:
        return float(self.settings.sync_interval_seconds)

    @property
    def session(self) -> SessionToken | None:
        client = self._client
        return client.session if client is not None else None

    def wake(self) -> None:
        """Sync as soon as possible (a record was just saved, or the officer asked)."""
        self._asked = True
        self._wake.set()

    def sign_in_with(self, credentials: Credentials | SessionToken) -> None:
        """Use these credentials from the next step (e.g. after the officer unlocked)."""
        with self._lock:
            self.credentials = credentials
            self._drop_client()
        self.wake()

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    def _client_now(self) -> HubClient:
        """The client for the current hub and token, made afresh when either changed."""
        wanted = (self.settings.hub_url, self.settings.device_token)
        with self._lock:
            if self._client is None or wanted != self._client_for:
                session = self.session
                self._drop_client()
                if session is not None and wanted[1] == self._client_for[1]:
                    self.credentials = session  # same device: the session still holds
                elif session is not None:
                    self.credentials = None  # a session is bound to the device it came from
                factory = self._factory or (lambda: client_for(self.settings, self.credentials))
                self._client = factory()
                self._client_for = wanted
                if isinstance(self.credentials, Credentials):
                    self.credentials = None  # the client signs in once with it; then forgotten
            return self._client

    def step(self) -> float:
        """One sync; returns how long to wait before the next one."""
        if self._watcher is not None and self._watcher.refresh():
            self.backoff.reset()
        configured = bool(self.settings.hub_url) or self._factory is not None
        self.status = replace(self.status, configured=configured)
        if not configured:
            self.status = _offline(self.status, NO_HUB)
        else:
            try:
                client = self._client_now()
                away = self.status.connected is False and not self.status.auth_failed
                if away and not client.health():  # still away: say why it was lost
                    raise NetworkFailure(self.status.last_error or "hub unreachable")
                if away:
                    self._hub_waits = True  # back, perhaps upgraded: try a waiting pull again
                self.status = sync_once(self.store, client, self.status, self.on_users)
            except SyncFailure as exc:  # e.g. not enrolled, or the hub still away
                self.status = _offline(self.status, str(exc), isinstance(exc, AuthFailure))
        if self.status.auth_failed:
            with self._lock:
                self._drop_client()  # a new token or a new sign-in starts afresh
        with self.store.session() as db:
            self.status = self.status.with_counts(db)
        if self.status.connected or not configured or self.status.auth_failed:
            self.backoff.reset()
            delay = self.interval
        else:
            delay = self.backoff.next_delay()
        self.status = replace(self.status, retry_in=delay)
        self._tell()
        return delay

    def _tell(self) -> None:
        if self.on_status is not None:
            self.on_status(self.status)

    def run(self, stop: threading.Event, max_steps: int | None = None) -> SyncStatus:
        """Loop until `stop` is set (or `max_steps` syncs have run)."""
        steps = 0
        try:
            while not stop.is_set() and (max_steps is None or steps < max_steps):
                delay = self.step()
                steps += 1
                if max_steps is not None and steps >= max_steps:
                    break
                if self._may_wait_on_hub():
                    self._wait_on_hub(stop)
                else:
                    self._sleep(stop, delay)
        finally:
            if self.end_session:
                self.sign_out()
            with self._lock:
                self._drop_client()
        return self.status

    def _sleep(self, stop: threading.Event, delay: float) -> None:
        """Until `delay` has passed, `stop` is set or someone asks for a sync."""
        self._wake.clear()
        self._asked = False
        deadline = time.monotonic() + delay
        while not (stop.is_set() or self._wake.is_set()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._wake.wait(min(remaining, 0.25))

    def _may_wait_on_hub(self) -> bool:
        waited_well, self._wait_failed = not self._wait_failed, False
        return bool(self.status.connected) and self._hub_waits and waited_well

    def _wait_on_hub(self, stop: threading.Event) -> None:
        """Sit in waiting pulls, filing what they bring and pushing what is saved, until a
        full step is due (`REFRESH_EVERY`, or the interval while the hub holds records of
        this terminal's; more pages waiting, a failure, new settings)."""
        every = self.interval if self.status.held else REFRESH_EVERY
        refresh_at = time.monotonic() + every
        pending: WaitingPull | None = None
        while not stop.is_set():
            client = self._client
            if client is None or not self.status.connected or self._settings_changed():
                return
            if pending is None:
                if time.monotonic() >= refresh_at:
                    return
                wait = WAIT_ON_HUB * random.uniform(0.8, 1.0)  # a fleet's pulls drift apart
                pending = WaitingPull.start(self.store, client, wait, self._wake.set)
            self._wake.wait(0.25)
            self._wake.clear()
            asked, self._asked = self._asked, False
            if asked:  # a record saved, or the officer's key: sync now, the pull waits on
                self.step()
            if pending.done:
                if not self._file(pending, client):
                    return
                pending = None

    def _file(self, pending: WaitingPull, client: HubClient) -> bool:
        """File what a waiting pull brought; whether to go on waiting."""
        if pending.failure is not None or pending.page is None:
            self._wait_failed = True  # a full step says what is wrong, then a pause
            return False
        if not pending.held:
            self._hub_waits = False  # a hub that answers at once: ask it on the interval
            return False
        filed = file_if_current(self.store, client.collar, pending)
        if filed is None:  # a step pulled past it meanwhile: wait again from there
            return True
        self.status = replace(self.status, last_success=utcnow(), pulled=self.status.pulled + filed)
        if filed:
            with self.store.session() as db:
                self.status = self.status.with_counts(db)
            self._tell()
        return not pending.page.more

    def _settings_changed(self) -> bool:
        """A hub address or device token written meanwhile (checked at most once a second)."""
        if self._watcher is None or time.monotonic() < self._next_look:
            return False
        self._next_look = time.monotonic() + 1.0
        if self._watcher.refresh():
            self.backoff.reset()
            return True
        return False

    def sign_out(self) -> None:
        """End the officer's session on the hub: noted in the store, then sent; if the hub
        does not answer, it is sent when it next does (sync.signouts)."""
        with self._lock:
            client = self._client
            self._client = None
        if client is None:
            return
        try:
            if client.session is not None:
                signouts.note(self.store, client.session)
                signouts.send(self.store, client)
        except SyncFailure:
            pass
        finally:
            client.close()
