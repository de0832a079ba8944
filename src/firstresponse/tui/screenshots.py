"""Drive the real app with Pilot and save an SVG of every screen into `screens/`.

Each shot signs in as a demo user and walks to one screen. Shots are plain
async functions registered with `@shot` in each area's shots module, so adding a screen
means adding one (`screenshot_shots` imports every area's). The walking helpers
(`sign_in`, `type_text`, `settle`) serve the functional tests too.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from firstresponse.config import Settings
from firstresponse.store import Store
from firstresponse.store.form_drafts import forget_all
from firstresponse.tui.app import FirstResponseApp

SIZE = (80, 24)
Steps = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    steps: Steps
    screen: str  # the class of the screen the walk ends on


SHOTS: list[Shot] = []


def shot(name: str, caption: str, screen: str) -> Callable[[Steps], Steps]:
    """Register `steps` as the walk to the `screen` (a class name) saved as
    `screens/<name>.svg`."""

    def register(steps: Steps) -> Steps:
        SHOTS.append(Shot(name, caption, steps, screen))
        return steps

    return register


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


@shot("login", "Sign in: collar number and PIN", "LoginScreen")
async def _login(pilot: Pilot[None]) -> None:
    await settle(pilot)


def _status_shown(pilot: Pilot[None]) -> bool:
    """Every status bar on the screen has its first figures (they are read on a thread)."""
    from firstresponse.tui.widgets.status_bar import StatusBar

    return all(bar.text for bar in pilot.app.screen.query(StatusBar))


async def capture(
    settings: Settings, store: Store, out: Path, shots: Sequence[Shot], only: str = ""
) -> list[Path]:
    """Run each of `shots` (or just the one named `only`); returns the SVG paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item in shots:
        if only and item.name != only:
            continue
        forget_all(store)  # a walk's typing is no draft for the next walk
        app = FirstResponseApp(settings, store, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await item.steps(pilot)
            shown = type(pilot.app.screen).__name__
            if shown != item.screen:
                raise RuntimeError(f"shot {item.name}: ended on {shown}, not {item.screen}")
            await settle(pilot, lambda: _status_shown(pilot))
            path = out / f"{item.name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
            written.append(path)
    return written
