"""The lock screen: a modal over whatever the officer was doing, so nothing typed is lost.

The app pushes it after `Settings.idle_lock_seconds` without input, or on ctrl+l. Only the
signed-in user's PIN unlocks it; wrong PINs count towards the same lockout as sign-in,
and a locked-out user is signed out. Locking and unlocking are audited.
"""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from firstresponse.records import User
from firstresponse.security import audit
from firstresponse.security.users import SignInError
from firstresponse.tui.screens.login import LoginScreen, sign_in
from firstresponse.tui.terminal import TerminalApp
from firstresponse.tui.widgets.sign_in_notice import SignInNotice
from firstresponse.tui.widgets.type_ahead import TextBox


def record(app: TerminalApp, user: User, action: str, **detail: object) -> None:
    """Audit a lock event for `user` in its own transaction."""
    audit.record_alone(app.context.store, user.collar, action, "user", user.id, **detail)


def sign_out(app: TerminalApp) -> None:
    """Drop every screen above the base and show the login screen (the form is discarded).

    The officer's session on the hub ends; their records still waiting stay in the outbox
    signed as theirs, and sync under their name whoever signs in next (sync.attest).
    """
    user = app.user
    if user is not None:
        record(app, user, "logout")
    app.context.close_sync(sign_out=True)
    app.user = None
    app.sub_title = ""
    while len(app.screen_stack) > 2:
        app.pop_screen()
    app.switch_screen(LoginScreen())


class LockScreen(ModalScreen[None]):
    """Locked: the same user's PIN unlocks; ctrl+o signs out instead.

    Opaque, so nothing about the case shows on an unattended screen.
    """

    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $surface; }
    LockScreen > Vertical {
        width: 60; height: auto; padding: 1 2;
        border: thick $accent; background: $panel;
    }
    LockScreen Label { padding: 0 1; }
    """
    app = getters.app(TerminalApp)
    BINDINGS = [Binding("ctrl+o", "sign_out", "Sign out (discards unsaved work)")]

    def __init__(self, user: User, reason: str) -> None:
        super().__init__()
        self.user = user
        self.reason = reason

    def compose(self) -> ComposeResult:
        why = "after no activity" if self.reason == "idle" else "on request"
        with Vertical():
            yield Label(f"Locked {why}", classes="title")
            yield Label(f"{self.user.collar} {self.user.name}: enter your PIN to carry on.")
            yield Label("Your work is kept, hidden behind this screen.", classes="hint")
            yield Label("ctrl+o signs out instead (unsaved work is lost).", classes="hint")
            yield TextBox(placeholder="PIN", id="unlock-pin", password=True, max_length=8)
            yield SignInNotice(id="lock-error")

    def on_mount(self) -> None:
        self.query_one("#unlock-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pin = event.value
        event.input.value = ""
        try:
            user = sign_in(self.app.context.store, self.user.collar, pin)
        except SignInError as exc:
            if exc.locked:
                self.notify(str(exc), severity="error", timeout=10)
                sign_out(self.app)
                return
            notice = self.query_one("#lock-error", SignInNotice)
            notice.refused(str(exc), exc.attempts_left, exc.wait_seconds)
            return
        self.app.user = user
        record(self.app, user, "session.unlock")
        link = self.app.context.sync
        if link is not None:
            link.resume(pin)  # a session that lapsed while locked is renewed
        self.dismiss()

    def action_sign_out(self) -> None:
        sign_out(self.app)
