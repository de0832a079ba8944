"""What every follow-through screen shares: header, footer, the store and signed-in user."""

from __future__ import annotations

from typing import Any

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from firstresponse.records import User
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp


class FollowupScreen(Screen[None]):
    """A screen whose body comes from `body()`, with a status line above the footer."""

    app = getters.app(FirstResponseApp)

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.body()
        yield Label("", id="fu-status", classes="error", markup=False)
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    @property
    def store(self) -> Store:
        return self.app.context.store

    @property
    def user(self) -> User:
        if self.app.context.officer is None:
            raise PermissionError("sign in first")
        return self.app.context.officer

    def status(self, text: str) -> None:
        self.query_one("#fu-status", Label).update(text[:200])

    def action_back(self) -> None:
        self.dismiss()


class FollowupList(FollowupScreen):
    """A table of `COLUMNS` (id `TABLE`), filled by `action_refresh` when first shown and
    each time the screen is shown again. The table scrolls within the room left, so the
    title and hint above it stay on screen however many rows there are."""

    DEFAULT_CSS = "FollowupList DataTable { height: 1fr; }"

    TABLE = ""
    COLUMNS: tuple[str, ...] = ()

    def on_mount(self) -> None:
        table = self.query_one(f"#{self.TABLE}", DataTable)
        table.add_columns(*self.COLUMNS)
        self.action_refresh()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        raise NotImplementedError


class FollowupForm(FollowupScreen):
    """A follow-through form: Ctrl+S saves, Escape goes back without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]


def when(at: Any) -> str:
    """A UTC time shown as the UK clock reads it, e.g. "Mon 12 Jan 15:00"."""
    from firstresponse.supervision.shifts import UK, _aware

    return _aware(at).astimezone(UK).strftime("%a %d %b %H:%M") if at else "—"
