"""What every responder screen shares: the terminal's frame with the sync status bar."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widget import Widget

from firstresponse.attendance.terminal import incident_facts
from firstresponse.tui.terminal import TerminalScreen
from firstresponse.tui.widgets.status_bar import StatusBar


class ResponderScreen(TerminalScreen[None]):
    """A responder screen: subclasses yield their body from `body()`; the sync status bar
    sits above the footer."""

    def foot(self) -> Iterable[Widget]:
        yield StatusBar()

    def facts(self, incident_id: str) -> dict[str, Any]:
        return incident_facts(self.store, incident_id)

    def refresh_status(self) -> None:
        """Show new outbox counts now, and ask the sync worker to push."""
        for bar in self.query(StatusBar):
            bar.refresh_status()
        self.context.wake_sync()
