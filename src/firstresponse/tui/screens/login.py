"""Sign-in screen (placeholder until PINs: the security issue replaces the check)."""

from __future__ import annotations

from sqlmodel import select
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from firstresponse.records import User


class LoginScreen(Screen[None]):
    """Ask for a collar number and sign that user in."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Label("Sign in", classes="title")
            yield Label("Collar number", classes="hint")
            yield Input(placeholder="e.g. CH1001", id="collar")
            yield Label("", id="login-error", classes="error")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        collar = event.value.strip().upper()
        with self.app.store.session() as db:  # type: ignore[attr-defined]
            user = db.exec(select(User).where(User.collar == collar)).first()
        if user is None or not user.active:
            self.query_one("#login-error", Label).update(f"No active user with collar {collar!r}.")
            return
        self.app.signed_in(user)  # type: ignore[attr-defined]
