"""Screenshot walks for sign-in and the lock screen (registered with `@shot`)."""

from __future__ import annotations

from textual.pilot import Pilot

from firstresponse.tui.screenshots import app_of, settle, shot, sign_in


@shot("login_wrong_pin", "Sign in: a wrong PIN says how many attempts are left", "LoginScreen")
async def _wrong_pin(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "CH1001", "9999")


@shot(
    "lock",
    "Locked after no activity (or ctrl+l): the PIN unlocks, the work underneath kept",
    "LockScreen",
)
async def _lock(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    app_of(pilot).lock_terminal("idle")
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "LockScreen")


@shot(
    "too_small",
    "Below 80x24 a notice covers the screen; the work under it is kept",
    "TooSmallScreen",
)
async def _too_small(pilot: Pilot[None]) -> None:
    await sign_in(pilot, "PC2001")
    await pilot.resize_terminal(70, 20)
    await settle(pilot, lambda: type(pilot.app.screen).__name__ == "TooSmallScreen")
