"""The firstresponse Textual application: login, then the home screen for the user's role.

The login screen is painted first: this module and the login screen import no database
code. Then, on a thread, the checklists load and the database code is imported; the
store (if not given open) is opened on the event loop after that.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from firstresponse.tui.context import LookupFactory, Once, TerminalContext, default_lookup
from firstresponse.tui.messages import RecordsWaiting
from firstresponse.tui.quiet_gc import QuietCollector
from firstresponse.tui.screens.login import LoginScreen
from firstresponse.tui.screens.too_small import TooSmallScreen
from firstresponse.tui.terminal import TerminalApp
from firstresponse.vocab import Role

if TYPE_CHECKING:
    from firstresponse.config import Settings
    from firstresponse.records import User
    from firstresponse.session.signin import SignedIn
    from firstresponse.store import Store


# The login and too-small screens load no database code: they are imported with the app.
# Every other screen imports the database code (0.7 to 1.3 s): the role's screens are
# imported at its sign-in, the lock and feedback screens when first shown, so the login
# screen opens fast (bench/tui.py, bench/demo_start.py).
def _call_handler_home() -> type[Screen]:
    from firstresponse.tui.screens.call_handler import CallHandlerHome

    return CallHandlerHome


def _responder_home() -> type[Screen]:
    from firstresponse.tui.screens.responder import ResponderHome

    return ResponderHome


def _supervisor_home() -> type[Screen]:
    from firstresponse.tui.screens.supervisor import SupervisorHome

    return SupervisorHome


#: The home screen of each role.
HOME_SCREENS: dict[str, Callable[[], type[Screen]]] = {
    Role.CALL_HANDLER: _call_handler_home,
    Role.RESPONDER: _responder_home,
    Role.SUPERVISOR: _supervisor_home,
    Role.ADMIN: _supervisor_home,
}


#: Imported on a thread once the login screen shows: the store (SQLAlchemy, SQLModel, the
#: tables), checking PINs, signing in and syncing.
def _prepare_imports() -> None:
    """Import what sign-in needs (the database code with it), off the event loop."""
    import firstresponse.security.users
    import firstresponse.session.link  # noqa: F401


#: Rounds of messages to let through before quitting: an answer, the form's change, the
#: screen's draft (each posts the next).
QUIT_ROUNDS = 3


class Settling(Message):
    """Sent up from the focused widget as ctrl+q quits: once it reaches the app, what the
    widget posted before it has been handled (`FirstResponseApp.action_quit`)."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds


class FirstResponseApp(TerminalApp):
    """One terminal: a call handler's, a responder's or a supervisor's."""

    TITLE = "firstresponse"
    CSS_PATH = "app.tcss"
    #: Every action is a key shown in the footer; the palette would hide them.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Shown on the home screens' hint lines (footers at 80 columns have no room).
        Binding("ctrl+l", "lock", "Lock", priority=True, show=False),
        # Shown at the right of every home screen's sync line ("F9 sync now").
        Binding("f9", "sync_now", "Sync now", priority=True, show=False),
    ]
    #: How often the idle timer looks at the time since the last key or click.
    IDLE_CHECK_SECONDS = 5.0

    #: Smallest terminal the screens are laid out for.
    MIN_SIZE = (80, 24)

    def __init__(
        self,
        settings: Settings,
        store: Store | Callable[[], Store],
        *,
        demo: bool = False,
        lookup: LookupFactory = default_lookup,
    ) -> None:
        """`store` is the terminal's store, or how to open it (then opened once the login
        screen is painted: a failure ends the app, and `context.close_store()` raises it)."""
        super().__init__()
        self.settings = settings
        self.demo = demo
        opening = Once(store) if callable(store) else Once.made(store)
        #: What every screen shares, typed: reach it as `app.context`.
        self.context = TerminalContext(settings, opening, demo, make_lookup=lookup)
        self.last_input_at = monotonic()
        self.collector = QuietCollector()

    def on_mount(self) -> None:
        self.sub_title = "demo" if self.demo else ""
        self.push_screen(LoginScreen())
        if self.settings.idle_lock_seconds > 0:
            interval = min(self.IDLE_CHECK_SECONDS, self.settings.idle_lock_seconds / 2)
            self.set_interval(interval, self.lock_if_idle)
        self.call_after_refresh(self.check_size)
        # The store and the checklists load off the event loop while the officer signs in.
        self.call_after_refresh(self._load_in_background)

    def _load_in_background(self) -> None:
        self.run_worker(self._prepare, thread=True, group="preload")

    def _prepare(self) -> None:
        """On a thread once the login screen shows: load the checklists and import the
        database code (the slow parts), then finish on the event loop."""
        self.context.preload()
        _prepare_imports()
        self.call_from_thread(self._prepared)

    def _prepared(self) -> None:
        """Open the store on the event loop, as before the UI existed (its connections stay
        with the threads that have always used it), then leave full garbage collections to
        quiet moments (tui.quiet_gc). If the store cannot be opened there is nothing to
        sign in to: the app ends (the command that started it reports why)."""
        if self.context.opening.wait() is not None:
            self.exit(return_code=2)
            return
        self.collector.start()
        self.set_interval(1.0, self._collect_if_quiet)

    def _collect_if_quiet(self) -> None:
        self.collector.collect_if_quiet(monotonic() - self.last_input_at)

    def check_size(self) -> None:
        """Below 80x24 a notice covers the screen (the work under it is kept)."""
        width, height = self.MIN_SIZE
        small = self.size.width < width or self.size.height < height
        covered = isinstance(self.screen, TooSmallScreen)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif covered and not small:
            self.pop_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event,
            events.Key
            | events.MouseDown
            | events.MouseScrollDown
            | events.MouseScrollUp
            | events.Paste,
        ):
            self.last_input_at = monotonic()
        await super().on_event(event)
        if isinstance(event, events.Resize):
            self.call_after_refresh(self.check_size)

    @property
    def is_locked(self) -> bool:
        from firstresponse.tui.screens.lock import LockScreen

        return any(isinstance(screen, LockScreen) for screen in self.screen_stack)

    def lock_if_idle(self, now: float | None = None) -> None:
        """Lock when the signed-in user has given no input for `idle_lock_seconds`."""
        idle = (monotonic() if now is None else now) - self.last_input_at
        limit = self.settings.idle_lock_seconds
        if limit > 0 and idle >= limit:
            self.lock_terminal("idle")

    def lock_terminal(self, reason: str = "on demand") -> None:
        """Push the lock screen over the current one (nothing underneath is lost)."""
        from firstresponse.tui.screens.lock import LockScreen, record

        if self.user is None or self.is_locked:
            return
        record(self, self.user, "session.lock", reason=reason)
        self.push_screen(LockScreen(self.user, reason))

    def action_quit(self) -> None:  # type: ignore[override]
        """ctrl+q: what the focused box has just taken (Space on an answer in the same
        instant) reaches its form and draft first; the drafts are written as screens close."""
        self._settle_then_quit(QUIT_ROUNDS)

    def _settle_then_quit(self, rounds: int) -> None:
        focused = self.focused
        if rounds <= 0 or focused is None:
            self.exit()
            return
        focused.post_message(Settling(rounds))  # behind what the focused widget posted

    def on_settling(self, message: Settling) -> None:
        self.call_later(self._settle_then_quit, message.rounds - 1)

    def on_records_waiting(self, _message: RecordsWaiting) -> None:
        """A record was just saved: send it now."""
        self.context.wake_sync()

    def action_lock(self) -> None:
        self.lock_terminal("on demand")

    def action_sign_out(self) -> None:
        """Sign out from a home screen (ctrl+o), back to the login screen."""
        from firstresponse.tui.screens.lock import sign_out

        sign_out(self)

    def action_sync_now(self) -> None:
        """F9: sync now, and say what the hub holds waiting for a parent, if anything."""
        if self.context.sync is not None:
            self.context.wake_sync()
            held = self.context.held_summary()
            self.notify(held or "Syncing now", timeout=8 if held else 2)

    def on_unmount(self) -> None:
        self.context.close_sync(sign_out=False)
        self.collector.stop()

    def signed_in(self, user: User, signed: SignedIn | None = None) -> None:
        """Called by the login screen: start syncing and open the home screen for the role.

        No PIN is kept: the sync link holds the officer's hub session (session.signin).
        """
        from firstresponse.session.signin import SignedIn
        from firstresponse.sync.attest import Attestor

        self.user = user
        self.context.sign_in(user)
        self.context.open_sync(signed or SignedIn(user=user, attestor=Attestor(user.collar)))
        self.sub_title = f"{user.collar} {user.name} · {user.role.replace('_', ' ')}"
        self.switch_screen(HOME_SCREENS[user.role]()())
        self.show_pending_feedback()

    def show_pending_feedback(self) -> None:
        """Supervisors' feedback the officer has not yet acknowledged opens over their home."""
        from firstresponse.tui.screens.feedback import feedback_screen_for

        screen = feedback_screen_for(self)
        if screen is not None:
            self.push_screen(screen)
