"""What every responder screen shares: header, status bar, footer, the typed context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import getters
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from firstresponse.attendance.terminal import incident_facts
from firstresponse.checklist import Checklist
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.widgets.status_bar import StatusBar


class ResponderScreen(Screen[None]):
    """A responder screen: subclasses yield their body from `body()`."""

    app = getters.app(FirstResponseApp)

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.body()
        yield StatusBar()
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    # -- shared look-ups -----------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self.app.context.store

    @property
    def collar(self) -> str:
        return self.app.context.collar

    @property
    def team(self) -> str:
        return self.app.context.team

    @property
    def checklists(self) -> Mapping[str, Checklist]:
        return self.app.context.checklists

    def facts(self, incident_id: str) -> dict[str, Any]:
        return incident_facts(self.store, incident_id)

    def refresh_status(self) -> None:
        """Show new outbox counts now, and ask the sync worker to push."""
        for bar in self.query(StatusBar):
            bar.refresh_status()
        self.app.context.wake_sync()
