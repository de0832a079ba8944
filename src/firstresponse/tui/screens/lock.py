"""The lock screen: a modal over whatever the officer was doing, so nothing typed is lost.

The app pushes it after `Settings.idle_lock_seconds` without input, or on ctrl+l. Only the
signed-in user's PIN unlocks it; wrong PINs count towards the same lockout as sign-in,
and a locked-out user is signed out. Locking and unlocking are audited.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from firstresponse.records import User
from firstresponse.security import audit
from firstresponse.security.users import SignInError
from firstresponse.tui.screens.login import LoginScreen, sign_in


def record(app: object, user: User, action: str, **detail: object) -> None:
    """Audit a lock event for `user` in its own transaction."""
    with app.store.session() as db:  # type: ignore[attr-defined]
        audit.record(db, user.collar, action, "user", user.id, **detail)


def sign_out(app: object) -> None:
    """Drop every screen above the base and show the login screen (the form is discarded).

    The officer's session on the hub ends; their records still waiting stay in the outbox
    signed as theirs, and sync under their name whoever signs in next (sync.attest).
    """
    user = app.user  # type: ignore[attr-defined]
    if user is not None:
        record(app, user, "logout")
    app.close_sync_link(sign_out=True)  # type: ignore[attr-defined]
    app.user = None  # type: ignore[attr-defined]
    app.sub_title = ""  # type: ignore[attr-defined]
    while len(app.screen_stack) > 2:  # type: ignore[attr-defined]
        app.pop_screen()  # type: ignore[attr-defined]
    app.switch_screen(LoginScreen())  # type: ignore[attr-defined]


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
            yield Input(placeholder="PIN", id="unlock-pin", password=True, max_length=8)
            yield Label("", id="lock-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#unlock-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pin = event.value
        event.input.value = ""
        try:
            user = sign_in(self.app.store, self.user.collar, pin)  # type: ignore[attr-defined]
        except SignInError as exc:
            if exc.locked:
                self.notify(str(exc), severity="error", timeout=10)
                sign_out(self.app)
                return
            self.query_one("#lock-error", Label).update(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.app.user = user  # type: ignore[attr-defined]
        record(self.app, user, "session.unlock")
        link = getattr(self.app, "sync_link", None)
        if link is not None:
            link.resume(pin)  # a session that lapsed while locked is renewed
        self.dismiss()

    def action_sign_out(self) -> None:
        sign_out(self.app)
