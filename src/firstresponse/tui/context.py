"""The terminal context: what every screen of one terminal shares, built once by the app.

Screens reach it typed, through `app = getters.app(FirstResponseApp)` then `app.context`:
the store, the signed-in officer, the checklists (loaded once, on a background thread
after start-up), the lookup source (built at sign-in, injectable for tests) and the
officer's sync link (opened at sign-in, closed at sign-out). Screens call domain
functions with these; they never open sessions themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from firstresponse.config import Settings
from firstresponse.records import User
from firstresponse.session.link import SyncLink, sync_status
from firstresponse.session.signin import SignedIn
from firstresponse.store import Store
from firstresponse.sync import held
from firstresponse.sync.status import SyncStatus

if TYPE_CHECKING:
    from firstresponse.calls import LookupSource
    from firstresponse.checklist import Checklist


LookupFactory = Callable[["TerminalContext"], "LookupSource"]


def default_lookup(context: TerminalContext) -> LookupSource:
    """The hub when this terminal is enrolled and the officer has a hub session, else local."""
    from firstresponse.calls import FallbackLookup, HubLookup, LocalLookup

    officer = context.signed_in
    local = LocalLookup(context.store, officer)
    settings = context.settings
    session = context.sync.worker.session if context.sync is not None else None
    if settings.hub_url and settings.device_token and session is not None:
        from firstresponse.sync.client import HubClient, SyncFailure

        try:
            client = HubClient(settings.hub_url, settings.device_token, session)
        except SyncFailure:
            return local
        return FallbackLookup(HubLookup(client), local)
    return local


class Checklists:
    """The checklist files, loaded once (the first to ask waits; later ones do not)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._loaded: dict[str, Checklist] | None = None

    def get(self) -> Mapping[str, Checklist]:
        with self._lock:
            if self._loaded is None:
                from firstresponse.checklist import load_checklists

                self._loaded = load_checklists(self._settings.checklists_dir)
            return self._loaded


@dataclass
class TerminalContext:
    """One terminal: its settings and store; once signed in, the officer and their lookup."""

    settings: Settings
    store: Store
    demo: bool = False
    make_lookup: LookupFactory = default_lookup
    officer: User | None = None
    sync: SyncLink | None = None
    _lookup: LookupSource | None = None
    _checklists: Checklists = field(init=False)

    def __post_init__(self) -> None:
        self._checklists = Checklists(self.settings)

    @property
    def checklists(self) -> Mapping[str, Checklist]:
        return self._checklists.get()

    def preload(self) -> None:
        """Load the checklists now (the app calls this on a thread at start-up)."""
        self._checklists.get()

    @property
    def signed_in(self) -> User:
        """The signed-in officer (screens behind the login screen only)."""
        if self.officer is None:
            raise RuntimeError("no officer is signed in")
        return self.officer

    @property
    def collar(self) -> str:
        return self.officer.collar if self.officer else ""

    @property
    def team(self) -> str:
        return self.officer.team if self.officer else ""

    @property
    def lookup(self) -> LookupSource:
        """The repeat-victim lookup for the signed-in officer, built on first use."""
        if self._lookup is None:
            self._lookup = self.make_lookup(self)
        return self._lookup

    def sign_in(self, officer: User) -> None:
        self.officer, self._lookup = officer, None

    def sign_out(self) -> None:
        self.officer, self._lookup, self.sync = None, None, None

    def open_sync(self, signed: SignedIn) -> SyncLink:
        """Sync for the officer who has just signed in (every role), under their name."""
        self.close_sync(sign_out=False)
        self.sync = SyncLink.open(self.store, self.settings, signed)
        return self.sync

    def close_sync(self, *, sign_out: bool = True) -> None:
        """Stop syncing (signing out, or the app closing)."""
        link, self.sync = self.sync, None
        if link is not None:
            link.close(sign_out=sign_out)

    def wake_sync(self) -> None:
        """Push and pull now (a record was just saved, or the officer asked)."""
        if self.sync is not None:
            self.sync.sync_now()

    def sync_status(self) -> SyncStatus:
        """The sync link's newest status with fresh outbox and held counts."""
        return sync_status(self.store, self.settings, self.sync)

    def held_summary(self) -> str:
        """What the hub holds waiting for a parent, for a notification ("" if nothing)."""
        return held.summary(self.store)
