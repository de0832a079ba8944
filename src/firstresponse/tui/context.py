"""The terminal context: what every screen of one terminal shares, built once by the app.

Screens reach it typed through `tui.terminal` (`Terminal.context`, or `app.context`):
the store, the signed-in officer, the checklists, the lookup source (built at sign-in,
injectable for tests) and the officer's sync link (opened at sign-in, closed at
sign-out). Screens call domain functions with these; they never open sessions themselves.

The store and the checklists are each made once (`Once`), after the login screen is
painted (the app sees to it); whoever asks first waits for them. Nothing here imports
the database code at import time, so the login screen shows without it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from firstresponse.calls import LookupSource
    from firstresponse.checklist import Checklist
    from firstresponse.config import Settings
    from firstresponse.records import User
    from firstresponse.session.link import SyncLink
    from firstresponse.session.signin import SignedIn
    from firstresponse.store import Store
    from firstresponse.sync.status import SyncStatus

T = TypeVar("T")


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
        return FallbackLookup(HubLookup(client, context.store), local)
    return local


class Once(Generic[T]):
    """A value made once, by the first to ask (on whatever thread; later ones wait).

    A failure is kept and raised to everyone who asks.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._value: T | None = None
        self._error: Exception | None = None
        self._asked = False

    @classmethod
    def made(cls, value: T) -> Once[T]:
        """One already made (a store opened by the caller)."""
        once = cls(lambda: value)
        once.get()
        return once

    @property
    def asked(self) -> bool:
        """Whether making it has begun (so closing it must wait for it)."""
        return self._asked

    def wait(self) -> Exception | None:
        """Make it if nobody has, or wait for it; return why it failed, if it did."""
        self._asked = True
        with self._lock:
            if self._value is None and self._error is None:
                try:
                    self._value = self._make()
                except Exception as exc:  # kept: raised to whoever asks
                    self._error = exc
        return self._error

    def get(self) -> T:
        error = self.wait()
        if error is not None:
            raise error
        assert self._value is not None
        return self._value


def load_checklists(settings: Settings) -> Mapping[str, Checklist]:
    from firstresponse.checklist import load_checklists

    return load_checklists(settings.checklists_dir)


@dataclass
class TerminalContext:
    """One terminal: its settings and store; once signed in, the officer and their lookup."""

    settings: Settings
    opening: Once[Store]
    demo: bool = False
    make_lookup: LookupFactory = default_lookup
    officer: User | None = None
    sync: SyncLink | None = None
    _lookup: LookupSource | None = None
    _checklists: Once[Mapping[str, Checklist]] = field(init=False)

    def __post_init__(self) -> None:
        self._checklists = Once(lambda: load_checklists(self.settings))

    @property
    def store(self) -> Store:
        """The terminal's store (waiting for it to open, if it is opening)."""
        return self.opening.get()

    @property
    def checklists(self) -> Mapping[str, Checklist]:
        return self._checklists.get()

    def preload(self) -> None:
        """Load the checklists now (in the caller's thread)."""
        self._checklists.get()

    def close_store(self) -> None:
        """Close the store once it has opened (raising why, if it could not)."""
        if self.opening.asked:
            self.opening.get().close()

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
        from firstresponse.session.link import SyncLink

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
        from firstresponse.session.link import sync_status

        return sync_status(self.store, self.settings, self.sync)

    def held_summary(self) -> str:
        """What the hub holds waiting for a parent, for a notification ("" if nothing)."""
        from firstresponse.sync import held

        return held.summary(self.store)
