"""Drive the real app with Pilot and save an SVG of every screen into `screens/`.

Each shot signs in as a demo user and walks to one screen. Shots are plain
async functions registered with `@shot`, so adding a screen means adding one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from firstresponse.config import Settings
from firstresponse.store import Store
from firstresponse.tui.app import FirstResponseApp

SIZE = (80, 24)
Steps = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    steps: Steps


SHOTS: list[Shot] = []


def shot(name: str, caption: str) -> Callable[[Steps], Steps]:
    """Register `steps` as the walk to the screen saved as `screens/<name>.svg`."""

    def register(steps: Steps) -> Steps:
        SHOTS.append(Shot(name, caption, steps))
        return steps

    return register


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def sign_in(pilot: Pilot[None], collar: str, pin: str = "1234") -> None:
    """Fill the login screen the way a user would."""
    await pilot.pause()
    await type_text(pilot, collar)
    await pilot.press("enter")
    await pilot.pause()
    if pin and pilot.app.focused is not None and pilot.app.focused.id == "pin":
        await type_text(pilot, pin)
        await pilot.press("enter")
    await pilot.pause(0.3)


@shot("login", "Sign in: collar number and PIN")
async def _login(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def capture(settings: Settings, store: Store, out: Path, only: str = "") -> list[Path]:
    """Run every registered shot (or just `only`) and return the SVG paths written."""
    import firstresponse.tui.screenshot_shots  # noqa: F401  (registers the per-screen shots)

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item in SHOTS:
        if only and item.name != only:
            continue
        app = FirstResponseApp(settings, store, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await item.steps(pilot)
            await pilot.pause(0.2)
            path = out / f"{item.name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
            written.append(path)
    return written
