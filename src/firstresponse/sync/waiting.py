"""A pull that waits on the hub for this terminal's next change (long-poll), run on a
thread of its own beside the sync worker (sync.worker), so the worker stays free to push
a record the moment it is saved.

The worker files what it brings (`file_if_current`) only while the terminal's cursor is
still where the pull started, so a page can never take a record back to an older copy
after a full sync has moved past it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from firstresponse.store import Store
from firstresponse.sync.client import HubClient, SyncFailure
from firstresponse.sync.protocol import PullResponse
from firstresponse.sync.pull import cursor_name, file_page
from firstresponse.sync.state import get_cursor


class WaitingPull:
    """One pull from `cursor` waiting up to `wait` seconds; `answered` is called (from its
    thread) when it has a page or a failure."""

    def __init__(
        self,
        client: HubClient,
        cursor: str,
        wait: float,
        answered: Callable[[], None],
        limit: int = 200,
    ) -> None:
        self.client = client
        self.cursor = cursor
        self.wait = wait
        self.page: PullResponse | None = None
        self.failure: SyncFailure | None = None
        self.took = 0.0
        self._answered = answered
        self._limit = limit
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-wait", daemon=True)

    @classmethod
    def start(
        cls, store: Store, client: HubClient, wait: float, answered: Callable[[], None]
    ) -> WaitingPull:
        """A pull from where this officer's feed stands in `store`, already waiting."""
        with store.session() as db:
            cursor = get_cursor(db, cursor_name(client.collar))
        found = cls(client, cursor, wait, answered)
        found._thread.start()
        return found

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def held(self) -> bool:
        """Whether the hub held the pull (an empty answer well before the wait ended means
        a hub that answers at once: one from before waiting pulls)."""
        page = self.page
        return page is not None and (bool(page.changes) or self.took >= self.wait / 2)

    def _run(self) -> None:
        start = time.monotonic()
        try:
            self.page = self.client.pull(self.cursor, self._limit, wait=self.wait)
        except SyncFailure as exc:
            self.failure = exc
        except Exception as exc:  # e.g. its client closed under it: the worker moved on
            self.failure = SyncFailure(f"waiting pull ended: {exc or type(exc).__name__}")
        finally:
            self.took = time.monotonic() - start
            self._done.set()
            self._answered()


def file_if_current(store: Store, collar: str, pulled: WaitingPull) -> int | None:
    """File the pull's page if the cursor has not moved since it started; how many entries
    (None: it moved, and the page is left for the next full sync)."""
    page = pulled.page
    if page is None:
        return None
    name = cursor_name(collar)
    with store.session() as db:
        if get_cursor(db, name) != pulled.cursor:
            return None
        file_page(db, page, name)
    return len(page.changes)
