"""The terminal UI opens on an 80x24 terminal and signs a known user in."""

from __future__ import annotations

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


async def test_login_accepts_a_known_collar(settings: Settings, store: Store) -> None:
    with store.session() as db:
        create_user(db, "SV9", "Sam Vale", "supervisor", "", "1234")
    app = FirstResponseApp(settings, store)
    signed: list[User] = []
    app.signed_in = lambda user, pin="": signed.append(user)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#collar", Input).value = "sv9"
        await pilot.press("enter", "1", "2", "3", "4", "enter")
        await pilot.pause()
    assert [u.collar for u in signed] == ["SV9"]
