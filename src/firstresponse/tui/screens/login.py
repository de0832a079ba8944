"""Sign-in screen: collar number, then PIN (Argon2-verified by `security.users.authenticate`).

Wrong PINs count towards a lock; the message says how many attempts are left, and once
locked, that an admin must unlock. Every attempt is audited by `authenticate`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from firstresponse.records import User
from firstresponse.security.users import SignInError, authenticate


def sign_in(store: object, collar: str, pin: str) -> User:
    """Authenticate in a store session; raises SignInError with a message to show."""
    with store.session() as db:  # type: ignore[attr-defined]
        return authenticate(db, collar, pin)


DEMO_USERS = (
    "Demo users, PIN 1234: CH1001 call handler · PC2001, PC2002 responders · "
    "SG3001 supervisor · AD4001 admin"
)


class LoginScreen(Screen[None]):
    """Ask for a collar number and PIN and sign that user in."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Label("Sign in", classes="title")
            yield Label("Collar number", classes="hint")
            yield Input(placeholder="e.g. PC2001", id="collar")
            yield Label("PIN", classes="hint")
            yield Input(placeholder="4 to 8 digits", id="pin", password=True, max_length=8)
            yield Label("", id="login-error", classes="error")
            if getattr(self.app, "demo", False):
                yield Label(DEMO_USERS, id="demo-users", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#collar", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#login-error", Label).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        collar_input = self.query_one("#collar", Input)
        pin_input = self.query_one("#pin", Input)
        collar = collar_input.value.strip().upper()
        if not collar:
            self._error("Enter your collar number.")
            collar_input.focus()
            return
        if event.input is collar_input or not pin_input.value:
            self._error("")
            pin_input.focus()
            return
        if not (pin_input.value.isdigit() and 4 <= len(pin_input.value) <= 8):
            pin_input.value = ""  # not a PIN at all: not counted as a wrong attempt
            self._error("A PIN is 4 to 8 digits. Enter it again.")
            pin_input.focus()
            return
        try:
            user = sign_in(self.app.store, collar, pin_input.value)  # type: ignore[attr-defined]
        except SignInError as exc:
            pin_input.value = ""
            self._error(str(exc)[:1].upper() + str(exc)[1:].rstrip(".") + ".")
            if exc.locked:
                collar_input.value = ""
                collar_input.focus()
            else:
                pin_input.focus()
            return
        pin = pin_input.value
        pin_input.value = ""
        self.app.signed_in(user, pin)  # type: ignore[attr-defined]
