"""Sign-in screen: collar number, then PIN, checked against the hub when this terminal
is enrolled and the hub answers, else against this terminal's copy (sync.signin).

Wrong PINs count towards a lock; the message says how many attempts are left, and once
locked, that an admin must unlock. Every attempt is audited.

The screen is the first one painted: the database code it needs is imported only when a
PIN is checked (by then the store has opened on a thread; if not, the check waits for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from firstresponse.config import hub_configured
from firstresponse.tui.terminal import TerminalApp
from firstresponse.tui.widgets.sign_in_notice import SignInNotice
from firstresponse.tui.widgets.type_ahead import TextBox

if TYPE_CHECKING:
    from firstresponse.records import User
    from firstresponse.session.signin import SignedIn
    from firstresponse.store import Store


def sign_in(store: Store, collar: str, pin: str) -> User:
    """Check the PIN against this terminal's copy; raises SignInError with a message to show."""
    from firstresponse.security.users import authenticate_at

    return authenticate_at(store, collar, pin)


def sign_in_officer(app: TerminalApp, collar: str, pin: str) -> SignedIn:
    """Against the hub when it answers, else here; raises SignInError."""
    from firstresponse.session.signin import sign_in as sign_in_anywhere

    return sign_in_anywhere(app.context.store, app.settings, collar, pin)


DEMO_USERS = (
    "Demo users, PIN 1234: CH1001 call handler · PC2001, PC2002 responders · "
    "SG3001 supervisor · AD4001 admin"
)


class LoginScreen(Screen[None]):
    """Ask for a collar number and PIN and sign that user in."""

    app = getters.app(TerminalApp)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Label("Sign in", classes="title")
            yield Label("Collar number, then Enter", classes="hint")
            yield TextBox(placeholder="e.g. PC2001", id="collar", enter_moves_on=True)
            yield Label("PIN, then Enter to sign in", classes="hint")
            yield TextBox(placeholder="4 to 8 digits", id="pin", password=True, max_length=8)
            yield SignInNotice(id="login-error")
            if self.app.demo:
                yield Label(DEMO_USERS, id="demo-users", classes="hint")
            settings = self.app.settings
            if hub_configured(settings):
                hub = settings.hub_url.split("://")[-1]
                yield Label(f"Signs in against the hub at {hub} when it answers.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#collar", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#login-error", SignInNotice).say(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from firstresponse.security.users import SignInError

        collar_input = self.query_one("#collar", Input)
        pin_input = self.query_one("#pin", Input)
        collar = collar_input.value.strip().upper()
        if not collar:
            self._error("Enter your collar number.")
            collar_input.focus()
            return
        # The PIN as it was when Enter was pressed: a key typed on for the next screen
        # reaches the box first if the wait behind Enter runs out (a slow hub).
        pin = event.value if event.input is pin_input else pin_input.value
        if event.input is collar_input or not pin:
            self._error("")
            pin_input.focus()
            return
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            pin_input.value = ""  # not a PIN at all: not counted as a wrong attempt
            self._error("A PIN is 4 to 8 digits. Enter it again.")
            pin_input.focus()
            return
        try:
            signed = sign_in_officer(self.app, collar, pin)
        except SignInError as exc:
            pin_input.value = ""
            notice = self.query_one("#login-error", SignInNotice)
            notice.refused(str(exc), exc.attempts_left, exc.wait_seconds)
            if exc.locked:
                collar_input.value = ""
                collar_input.focus()
            else:
                pin_input.focus()
            return
        pin_input.value = ""
        self.app.signed_in(signed.user, signed)
