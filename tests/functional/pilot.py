"""Driving the real app with Pilot the way an officer would: sign in, type, press a key and
wait for the screen it opens (no fixed sleeps). Shared by the functional tests and the
snapshot walks (test_snapshots), which also give the README its pictures (`make
screenshots`)."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from firstresponse.tui.app import FirstResponseApp

#: The smallest terminal the screens are laid out for.
SIZE = (80, 24)


def app_of(pilot: Pilot[None]) -> FirstResponseApp:
    """The app a walk drives, typed."""
    app = pilot.app
    assert isinstance(app, FirstResponseApp)
    return app


async def settle(
    pilot: Pilot[None], condition: Callable[[], bool] = lambda: True, timeout: float = 10.0
) -> None:
    """Wait until `condition()` holds and the app has caught up (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting on {pilot.app.screen!r}")
        await pilot.pause(0.02)
    await pilot.pause()


def on_screen(pilot: Pilot[None], name: str) -> bool:
    """Whether the screen shown is the one of that class name."""
    return type(pilot.app.screen).__name__ == name


async def press_to(pilot: Pilot[None], key: str, screen: str) -> None:
    """Press `key` and wait until the screen of that class name is shown."""
    await pilot.press(key)
    await settle(pilot, lambda: on_screen(pilot, screen))


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def sign_in(pilot: Pilot[None], collar: str, pin: str = "1234") -> None:
    """Fill the login screen the way a user would, and wait for what comes next."""
    from firstresponse.tui.screens.login import LoginScreen

    await settle(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await type_text(pilot, collar)
    await pilot.press("enter")
    await pilot.pause()
    if pin and pilot.app.focused is not None and pilot.app.focused.id == "pin":
        await type_text(pilot, pin)
        await pilot.press("enter")
    # The PIN box is emptied once the PIN has been checked, whatever the outcome.
    await settle(
        pilot,
        lambda: (
            not isinstance(pilot.app.screen, LoginScreen)
            or not pilot.app.screen.query_one("#pin", Input).value
        ),
    )


async def sign_in_home(pilot: Pilot[None], collar: str) -> None:
    """Sign in and put any feedback waiting aside (Esc: later) to reach the home screen."""
    await sign_in(pilot, collar)
    if on_screen(pilot, "FeedbackScreen"):
        await pilot.press("escape")
        await settle(pilot, lambda: not on_screen(pilot, "FeedbackScreen"))
