"""Sign-in against the hub, and the lock screen, say what happens next: the attempts left
before a wait, then the wait counted down to "try again now"."""

from __future__ import annotations

from dataclasses import replace

from firstresponse.config import Settings
from firstresponse.security.throttle import FREE_ATTEMPTS
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp
from tests.functional.forms import burst
from tests.functional.pilot import on_screen, settle, type_text
from tests.hub.support import serve


def _said(app: FirstResponseApp, wid: str) -> str:
    return str(app.screen.query_one(f"#{wid}").render())


async def test_against_the_hub_attempts_left_then_the_wait_counts_down(
    settings: Settings, store: Store, tmp_path
) -> None:
    served = serve(str(tmp_path / "hub.db"))
    hub = next(served)
    online = replace(settings, hub_url=hub.url, device_token=hub.enrol("T1"))
    app = FirstResponseApp(online, store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: on_screen(pilot, "LoginScreen"))
            burst(app, "PC2001\r9999\r")
            left = f"{FREE_ATTEMPTS - 1} attempts left before a wait"
            await settle(pilot, lambda: left in _said(app, "login-error"))
            for _ in range(FREE_ATTEMPTS - 1):
                burst(app, "9999\r")
                await pilot.pause(0.3)
            await settle(pilot, lambda: "Wait 5 seconds" in _said(app, "login-error"))
            await settle(pilot, lambda: "Wait 3 seconds" in _said(app, "login-error"))
            await settle(pilot, lambda: "Try again now" in _said(app, "login-error"))
            assert app.focused is not None and app.focused.id == "pin"
            burst(app, "1234\r")
            await settle(pilot, lambda: on_screen(pilot, "ResponderHome"))
    finally:
        next(served, None)


async def test_the_lock_screen_counts_the_wait_down(settings: Settings, store: Store) -> None:
    from tests.functional.test_lock import _app, _fill_form

    app = _app(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _fill_form(app, pilot)
        app.lock_terminal()
        await pilot.pause()
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot, lambda: "attempts left" in _said(app, "lock-error"))
        for _ in range(FREE_ATTEMPTS):
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await pilot.pause()
        await settle(pilot, lambda: "Wait " in _said(app, "lock-error"))
        await settle(pilot, lambda: "Try again now" in _said(app, "lock-error"))
