"""What every responder screen shares: header, status bar, footer, checklists, facts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from firstresponse.attendance import facts_for
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.store import Store
from firstresponse.tui.widgets.status_bar import StatusBar, sync_link


@lru_cache(maxsize=4)
def _load(folder: Path) -> dict[str, Checklist]:
    return load_checklists(folder)


class ResponderScreen(Screen[None]):
    """A responder screen: subclasses yield their body from `body()`."""

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
        return self.app.store  # type: ignore[attr-defined]

    @property
    def collar(self) -> str:
        user = getattr(self.app, "user", None)
        return user.collar if user is not None else ""

    @property
    def team(self) -> str:
        user = getattr(self.app, "user", None)
        return user.team if user is not None else ""

    @property
    def checklists(self) -> dict[str, Checklist]:
        return _load(Path(self.app.settings.checklists_dir))  # type: ignore[attr-defined]

    def facts(self, incident_id: str) -> dict[str, Any]:
        with self.store.session() as db:
            return facts_for(db, incident_id)

    def refresh_status(self) -> None:
        """Show new outbox counts now, and ask the sync worker to push."""
        for bar in self.query(StatusBar):
            bar.refresh_status()
        sync_link(self.app).wake()
