"""The terminal UI opens on an 80x24 terminal and signs a known user in."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label

from firstresponse.config import Settings
from firstresponse.records import User
from firstresponse.security.users import create_user
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp


async def test_login_rejects_an_unknown_collar(settings: Settings, store: Store) -> None:
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#collar", Input).value = "NOPE1"
        await pilot.press("enter", "1", "2", "3", "4", "enter")
        await pilot.pause()
        error = app.screen.query_one("#login-error", Label)
        assert "not recognised" in str(error.render())
        assert app.user is None


def _record_sign_ins(app: FirstResponseApp) -> list[User]:
    """The officers the app signs in, in order, instead of opening their home screens."""
    signed: list[User] = []
    app.signed_in = lambda user, pin="": signed.append(user)  # type: ignore[method-assign]
    return signed


async def test_login_accepts_a_known_collar(settings: Settings, store: Store) -> None:
    with store.session() as db:
        create_user(db, "SV9", "Sam Vale", "supervisor", "", "1234")
    app = FirstResponseApp(settings, store)
    signed = _record_sign_ins(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#collar", Input).value = "sv9"
        await pilot.press("enter", "1", "2", "3", "4", "enter")
        await pilot.pause()
    assert [u.collar for u in signed] == ["SV9"]


async def test_the_login_screen_shows_while_the_store_opens(
    settings: Settings, store: Store
) -> None:
    """Given how to open the store, the app paints the login screen first and opens it on
    a thread; signing in uses it as soon as it is open."""
    from firstresponse.tui.screens.login import LoginScreen

    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(store)
        return store

    with store.session() as db:
        create_user(db, "SV9", "Sam Vale", "supervisor", "", "1234")
    app = FirstResponseApp(settings, open_store)
    signed = _record_sign_ins(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#collar", Input).value = "SV9"
        await pilot.press("enter", *"1234", "enter")
        await pilot.pause()
    assert opened == [store] and [u.collar for u in signed] == ["SV9"]


async def test_a_store_that_cannot_open_ends_the_app_and_says_why(settings: Settings) -> None:
    from firstresponse.store.encryption import StoreKeyError

    def open_store() -> Store:
        raise StoreKeyError("cannot open terminal.db: wrong store key")

    app = FirstResponseApp(settings, open_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 2
    with pytest.raises(StoreKeyError, match="wrong store key"):
        app.context.close_store()
