"""Full garbage collections while the officer is not typing, not in the middle of a key.

A full collection looks at every object the process holds and, in a terminal holding the
store's tables and Textual's caches, stops the screen for a tenth of a second or more,
whenever Python decides. Once the login screen is up, `QuietCollector.start()` freezes
what is loaded so far (kept for the app's life: never looked at again) and leaves full
collections to `collect_if_quiet`, which the app calls every second: one runs when no key
has been pressed for `QUIET_SECONDS` and young collections have passed enough objects on.
Young collections run as usual. `stop()` puts everything back.
"""

from __future__ import annotations

import gc

#: Seconds without input before a full collection may run.
QUIET_SECONDS = 2.0
#: Far more young collections than a session makes: Python never starts a full one itself.
NEVER = 1_000_000


class QuietCollector:
    """Full collections at quiet moments, for one app's life."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._saved is not None:
            return
        gc.freeze()
        self._saved = gc.get_threshold()
        young, middle, _ = self._saved
        gc.set_threshold(young, middle, NEVER)

    def collect_if_quiet(self, idle_seconds: float) -> bool:
        """Run a full collection if input has been quiet and one is due; say if it ran."""
        if self._saved is None or idle_seconds < QUIET_SECONDS:
            return False
        if gc.get_count()[2] < self._saved[2]:  # as often as Python would, at most
            return False
        gc.collect()
        return True

    def stop(self) -> None:
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        gc.unfreeze()  # what was set aside is collectable again
        self._saved = None
