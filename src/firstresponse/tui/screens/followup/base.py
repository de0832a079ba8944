"""What every follow-through screen shares: header, footer, the store and signed-in user."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Label

from firstresponse.records import User
from firstresponse.store import Store


class FollowupScreen(Screen[None]):
    """A screen whose body comes from `body()`, with a status line above the footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.body()
        yield Label("", id="fu-status", classes="error", markup=False)
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    @property
    def user(self) -> User:
        user: Any = getattr(self.app, "user", None)
        if user is None:
            raise PermissionError("sign in first")
        return user

    def status(self, text: str) -> None:
        self.query_one("#fu-status", Label).update(text[:200])


def when(at: Any) -> str:
    """A UTC time shown as the UK clock reads it, e.g. "Mon 12 Jan 15:00"."""
    from firstresponse.supervision.shifts import UK, _aware

    return _aware(at).astimezone(UK).strftime("%a %d %b %H:%M") if at else "—"
