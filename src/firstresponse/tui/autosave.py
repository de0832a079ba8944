"""Save a draft's newest answers on a background thread: in order, the latest wins.

Each answer is handed over at once (`put`); the writer thread commits it within a few
milliseconds, so an answer is on disk well within a second even if the process is killed
straight after, while the screen never waits for the disk. Answers given while a write is
in progress are coalesced: only the newest is written next. `close()` waits for the last.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class DraftSaver:
    """One writer thread for one open draft."""

    def __init__(
        self,
        save: Callable[[Any], None],
        saved: Callable[[], None] = lambda: None,
        failed: Callable[[Exception], None] = lambda exc: None,
    ) -> None:
        self._save, self._saved, self._failed = save, saved, failed
        self._cond = threading.Condition()
        self._pending: Any = None
        self._has_pending = False
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="draft-save", daemon=True)
        self._thread.start()

    def put(self, payload: Any) -> None:
        """Queue the newest state to write (replacing any not yet written)."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the draft saver is closed")
            self._pending, self._has_pending = payload, True
            self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything handed over is written; False if that took too long."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._has_pending and not self._busy, timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Write what is pending, then stop the thread."""
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return done

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._has_pending or self._closed)
                if not self._has_pending:
                    return
                payload, self._has_pending, self._busy = self._pending, False, True
            try:
                self._save(payload)
            except Exception as exc:  # reported to the screen, never lost silently
                self._failed(exc)
            else:
                self._saved()
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
