"""The lock screen at 80x24: idle or ctrl+l locks, only the same PIN unlocks, the form survives."""

from __future__ import annotations

from sqlmodel import select
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Label

from firstresponse.config import Settings
from firstresponse.records import AuditEvent, User
from firstresponse.security.throttle import FREE_ATTEMPTS
from firstresponse.security.users import create_user
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.lock import LockScreen
from firstresponse.tui.screens.login import LoginScreen
from tests.functional.pilot import settle, sign_in, type_text


class FormScreen(Screen[None]):
    """Stands in for any home screen: one field being filled in."""

    def compose(self) -> ComposeResult:
        yield Input(id="notes")


def _app(settings: Settings, store: Store) -> FirstResponseApp:
    with store.session() as db:
        create_user(db, "PC2001", "Demo Responder One", "responder", "Alpha", "1234")
        create_user(db, "PC2002", "Demo Responder Two", "responder", "Alpha", "5678")
    app = FirstResponseApp(settings, store)

    def home(user: User, pin: str = "") -> None:
        app.user = user
        app.switch_screen(FormScreen())

    app.signed_in = home  # type: ignore[method-assign]
    return app


async def _fill_form(app: FirstResponseApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "PC2001")
    await settle(pilot, lambda: isinstance(app.screen, FormScreen))
    await type_text(pilot, "child asleep upstairs")
    notes = app.screen.query_one("#notes", Input)
    await settle(pilot, lambda: notes.value == "child asleep upstairs")


def _lock_error(app: FirstResponseApp) -> str:
    return str(app.screen.query_one("#lock-error", Label).render())


async def test_idle_lock_keeps_the_typed_form(settings: Settings, store: Store) -> None:
    app = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _fill_form(app, pilot)
        app.lock_if_idle(now=app.last_input_at + settings.idle_lock_seconds - 1)
        await pilot.pause()
        assert not app.is_locked
        app.lock_if_idle(now=app.last_input_at + settings.idle_lock_seconds)
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "no activity" in str(app.screen.query_one(".title", Label).render())
        await type_text(pilot, "5678")  # the other officer's PIN does not unlock
        await pilot.press("enter")
        await settle(pilot, lambda: "Wrong PIN" in _lock_error(app))
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        notes = app.screen.query_one("#notes", Input)
        assert notes.value == "child asleep upstairs" and app.focused is notes
        await type_text(pilot, " still")  # held until the form is back, then typed on
        await settle(pilot, lambda: notes.value != "child asleep upstairs")
        assert notes.value == "child asleep upstairs still"
    with store.session() as db:
        actions = [e.action for e in db.exec(select(AuditEvent))]
    assert actions[-4:] == ["session.lock", "login.failed", "login", "session.unlock"]


async def test_ctrl_l_locks_on_demand_and_not_before_sign_in(
    settings: Settings, store: Store
) -> None:
    app = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LoginScreen)
        await _fill_form(app, pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("ctrl+l")  # already locked: no second lock screen
        await pilot.pause()
        assert sum(isinstance(s, LockScreen) for s in app.screen_stack) == 1


async def test_wrong_pins_at_the_lock_make_the_next_wait_and_keep_the_work(
    settings: Settings, store: Store
) -> None:
    """Wrong PINs are throttled (security.throttle), never a sign-out that loses the work."""
    app = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _fill_form(app, pilot)
        app.lock_terminal()
        await pilot.pause()
        for _ in range(FREE_ATTEMPTS + 1):
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "Wait " in str(app.screen.query_one("#lock-error", Label).render())
        assert app.user is not None and app.is_locked
