"""The terminal's link to the hub for one signed-in officer (no UI: the app owns one).

    link = SyncLink.open(store, settings, signed_in)   # at sign-in, whatever the role
    link.status                                          # the newest SyncStatus
    link.sync_now()                                      # the officer's key, or after a save
    link.resume(pin)                                     # unlocked: a lapsed session renewed
    link.close(sign_out=True)                            # at sign-out or exit
    sync_status(store, settings, link)                   # for the status bar, with counts

It runs a `SyncWorker` on its own thread, makes every outbox row written meanwhile the
signed-in officer's (sync.attest), and watches the config file so that a hub URL or
device token written while the terminal runs is used at once. A sign-out is written to
the store before anything else and sent to the hub when it answers: at once, by the
courier while nobody is signed in (session.courier), or by the next officer's link.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from firstresponse.config import Settings
from firstresponse.session import courier
from firstresponse.session.signin import SignedIn, apply_user_states
from firstresponse.store import Store
from firstresponse.sync import attest, signouts
from firstresponse.sync.client import Credentials
from firstresponse.sync.status import SyncStatus
from firstresponse.sync.worker import SyncWorker


class SyncLink:
    """Sync for whoever is signed in: started at sign-in, closed at sign-out."""

    def __init__(
        self, store: Store, settings: Settings, signed: SignedIn, *, watch_config: bool = True
    ) -> None:
        self.store = store
        self.settings = settings
        self.signed = signed
        self.collar = signed.user.collar
        self.worker = SyncWorker(
            store,
            settings,
            signed.session or signed.pending,
            watch_config=watch_config,
            on_users=apply_user_states,
        )
        signed.pending = None  # the worker holds the PIN until the hub takes it, then forgets it
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        attest.attest_as(store.engine, signed.attestor)

    @classmethod
    def open(
        cls, store: Store, settings: Settings, signed: SignedIn, *, watch_config: bool = True
    ) -> SyncLink:
        link = cls(store, settings, signed, watch_config=watch_config)
        link.start()
        return link

    def start(self) -> None:
        courier.stop(self.store)  # this link's worker sends any sign-out still waiting
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.worker.run, args=(self._stop,), name=f"sync-{self.collar}", daemon=True
            )
            self._thread.start()

    @property
    def status(self) -> SyncStatus:
        return self.worker.status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def sync_now(self) -> None:
        """Push and pull now rather than at the next tick."""
        self.worker.wake()

    wake = sync_now

    def resume(self, pin: str) -> None:
        """The officer proved their PIN again (unlock): renew the session if it lapsed."""
        if self.worker.session is None or self.status.auth_failed:
            self.worker.sign_in_with(Credentials(self.collar, pin))

    def close(self, *, sign_out: bool = True, wait: float = 5.0) -> None:
        """Stop syncing; with `sign_out`, end the session on the hub (now if it answers,
        else as soon as it does)."""
        attest.attest_as(self.store.engine, None)
        session = self.worker.session
        if sign_out and session is not None:
            signouts.note(self.store, session)  # kept before anything can be lost
        self.worker.end_session = sign_out
        self._stop.set()
        self.worker.wake()
        if self._thread is not None:
            self._thread.join(wait)
        if sign_out:
            courier.start(self.store, self.settings)


def sync_status(store: Store, settings: Settings, link: SyncLink | None) -> SyncStatus:
    """The link's newest status with fresh outbox and held counts (offline if no hub is set)."""
    status = link.status if link is not None else SyncStatus()
    if not settings.hub_url:
        status = replace(status, configured=False, connected=False)
    with store.session() as db:
        return status.with_counts(db)
