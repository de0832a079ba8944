"""What the sync link's figures say happened, as messages for whoever listens.

The status bar reads the link's newest figures (off the UI thread) and posts these; they
bubble up through its screen to the app. A screen listing calls or assignments reloads on
`RecordsPulled`; the app answers `RecordsWaiting` by asking the link to sync at once, so
what an officer saves leaves in about a second whichever screen saved it.
"""

from __future__ import annotations

from textual.message import Message


class RecordsPulled(Message):
    """The link brought new assignments, briefings or lookup changes."""

    def __init__(self, pulled: int) -> None:
        super().__init__()
        #: How many changes the link has pulled since it opened.
        self.pulled = pulled


class RecordsWaiting(Message):
    """More records wait in the outbox than a moment ago (one was just saved)."""

    def __init__(self, waiting: int) -> None:
        super().__init__()
        #: How many records wait to be sent now.
        self.waiting = waiting
