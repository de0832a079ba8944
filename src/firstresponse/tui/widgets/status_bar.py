"""The sync status line on every home screen, whatever the role.

It says in words what is happening ("synced 22:47 · 0 waiting", "offline since 22:45 ·
12 waiting · held on the hub: 2") and ends with the key that syncs now. Every second, while
its screen is shown, it reads the newest status of the terminal context's `SyncLink`
(session.link) with fresh outbox counts on a thread, never on the UI thread, and repaints
only when the words changed (one fixed line: no layout). What the figures say happened it
posts for whoever listens (tui.messages): `RecordsPulled` when the link has pulled new
changes (a screen listing calls or assignments reloads), `RecordsWaiting` when more records
wait than a second ago (the app asks the link to sync at once, so what a call handler sends
leaves in about a second whichever screen saved it).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import getters
from textual.widgets import Static
from textual.worker import Worker

from firstresponse.sync.status import SyncStatus, clock
from firstresponse.tui.messages import RecordsPulled, RecordsWaiting
from firstresponse.tui.terminal import TerminalApp

WIDTH = 78  # 80 columns less the bar's padding
KEY_HINT = "F9 sync now"


def words(status: SyncStatus) -> str:
    """The state in words: a hub that does not answer is "hub not answering since 22:45"
    (the error itself goes to the terminal's log, `log_sync_error`), never the raw error."""
    if status.configured and status.connected is False and not status.auth_failed:
        since = clock(status.offline_since or status.last_attempt)
        return f"hub not answering since {since}" + status.label[len(status.state) :]
    return status.label


def status_line(status: SyncStatus, width: int = WIDTH) -> str:
    """The bar's text, cut at a word to `width` with the sync key kept at the right."""
    room = width - len(KEY_HINT) - 2
    text = f"Sync: {words(status)}"
    if len(text) > room:
        cut = text[: room - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ·") + "…"
    return f"{text:<{room}}  {KEY_HINT}"


def log_sync_error(log_dir: Path, error: str) -> None:
    """Append the hub's error, with the time, to the terminal's log (`terminal.log`)."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        with (log_dir / "terminal.log").open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S%z} sync: {error}\n")
    except OSError:
        pass  # a log that cannot be written never stops the terminal


class StatusBar(Static):
    """One line: the sync state in words, records waiting and held, and F9 to sync now."""

    app = getters.app(TerminalApp)

    DEFAULT_CSS = """
    StatusBar { width: 1fr; height: 1; padding: 0 1; background: $panel; color: $text; }
    StatusBar.-offline { background: $warning 30%; }
    StatusBar.-attention { background: $error 40%; }
    """

    def __init__(self, *, id: str | None = "status-bar") -> None:
        super().__init__("", markup=False, id=id)
        self._pulled = -1
        self._waiting = -1
        self._text = ""
        self._reading: Worker[SyncStatus] | None = None
        self._logged = ""

    @property
    def text(self) -> str:
        """The words on the bar now ("" until the first figures are read)."""
        return self._text

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        if self.screen.is_current:  # a screen underneath another reads nothing
            self.refresh_status()

    def refresh_status(self) -> None:
        """Read fresh figures on a thread (one read at a time); shown when they arrive."""
        if self._reading is not None and not self._reading.is_finished:
            return
        self._reading = self.run_worker(
            self.app.context.sync_status, thread=True, group="status-bar", exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._reading and event.worker.result is not None:
            event.stop()
            self.show(event.worker.result)

    def show(self, status: SyncStatus) -> None:
        """Put `status` on the bar (repainted only if the words or the warning changed)."""
        width = max(self.size.width, 40) if self.size.width else WIDTH
        if status.last_error and status.last_error != self._logged:
            log_sync_error(self.app.settings.log_dir, status.last_error)
        self._logged = status.last_error
        text = status_line(status, width)
        if text != self._text:
            self._text = text
            self.update(text, layout=False)
        self.set_class(not status.connected, "-offline")
        self.set_class(bool(status.quarantined or status.held) or status.auth_failed, "-attention")
        if self._pulled >= 0 and status.pulled > self._pulled:
            self.post_message(RecordsPulled(status.pulled))
        self._pulled = status.pulled
        if self._waiting >= 0 and status.waiting > self._waiting:
            self.post_message(RecordsWaiting(status.waiting))
        self._waiting = status.waiting
