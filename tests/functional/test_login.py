"""Sign-in at 80x24: collar then PIN, wrong PINs counted, locked after too many, all audited."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, Label

from firstresponse.config import Settings
from firstresponse.records import AuditEvent, User
from firstresponse.security.throttle import FREE_ATTEMPTS
from firstresponse.security.users import create_user, get_user
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from firstresponse.tui.screens.login import LoginScreen
from tests.functional.forms import burst
from tests.functional.pilot import settle, sign_in, type_text


def _app(settings: Settings, store: Store) -> tuple[FirstResponseApp, list[User]]:
    with store.session() as db:
        create_user(db, "PC2001", "Demo Responder One", "responder", "Alpha", "1234")
    app = FirstResponseApp(settings, store)
    signed: list[User] = []
    app.signed_in = lambda user, pin="": signed.append(user)  # type: ignore[method-assign]
    return app, signed


def _error(app: FirstResponseApp) -> str:
    return str(app.screen.query_one("#login-error", Label).render())


async def test_the_screenshot_sign_in_helper_signs_in(settings: Settings, store: Store) -> None:
    app, signed = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "pc2001")
        assert app.screen.query_one("#pin", Input).password
    assert [u.collar for u in signed] == ["PC2001"]


async def test_collar_enter_and_pin_typed_ahead_each_reach_their_box(
    settings: Settings, store: Store
) -> None:
    app, signed = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        collar = app.screen.query_one("#collar", Input)
        burst(app, "PC2001\r1234\rn")  # and on: "n" for a new call, before the home shows
        await settle(pilot, lambda: bool(signed) or bool(_error(app)))
        assert collar.value == "PC2001"  # the PIN never shows in the collar box
    assert [u.collar for u in signed] == ["PC2001"]


async def test_wrong_pin_says_how_many_attempts_are_left(settings: Settings, store: Store) -> None:
    app, signed = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "PC2001", "9999")
        assert f"{FREE_ATTEMPTS - 1} attempts left" in _error(app)
        assert isinstance(app.screen, LoginScreen) and app.focused is not None
        assert app.focused.id == "pin" and app.screen.query_one("#pin", Input).value == ""
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await pilot.pause()
    assert [u.collar for u in signed] == ["PC2001"]


async def test_wrong_pins_make_the_officer_wait_and_never_lock_them_out(
    settings: Settings, store: Store
) -> None:
    app, signed = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "PC2001", "0000")
        for _ in range(FREE_ATTEMPTS - 1):
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await pilot.pause()
        assert "Wait 5 seconds" in _error(app)
        await sign_in(pilot, "PC2001", "1234")  # the right PIN waits too, for now
        assert "Wait" in _error(app)
    assert signed == []
    with store.session() as db:
        user = get_user(db, "PC2001")
        assert user is not None and not user.locked
        actions = [e.action for e in db.exec(select(AuditEvent))]
    assert actions.count("login.failed") == FREE_ATTEMPTS
    assert "user.locked" not in actions and "login.refused" in actions


async def test_without_a_hub_no_pin_is_kept_and_every_role_has_a_sync_line(
    settings: Settings, store: Store
) -> None:
    from firstresponse.tui.widgets.status_bar import StatusBar

    with store.session() as db:
        create_user(db, "PC2001", "Demo Responder One", "responder", "Alpha", "1234")
        create_user(db, "CH1001", "Demo Call Handler", "call_handler", "Alpha", "1234")
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "CH1001")
        link = app.context.sync
        assert link is not None and link.running
        assert link.worker.credentials is None  # nothing to exchange: no hub
        bar = app.screen.query_one(StatusBar)
        await settle(pilot, lambda: bool(bar.text))  # read on a thread
        text = str(bar.render())
        assert "offline (no hub set)" in text and "F9 sync now" in text
        assert bar.region.right <= 80


async def test_the_demo_says_who_to_sign_in_as(settings: Settings, store: Store) -> None:
    async with FirstResponseApp(settings, store, demo=True).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(pilot.app.screen.query_one("#demo-users", Label).render())
        assert "CH1001" in hint and "PIN 1234" in hint
    async with FirstResponseApp(settings, store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not pilot.app.screen.query("#demo-users")
