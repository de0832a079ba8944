"""Wrong PINs slow sign-in down; they never lock an officer out (hub and terminal alike).

Following the NCSC's advice to throttle guessing rather than lock accounts (a lockout
lets anyone who knows a collar number stop that officer working): the first
`FREE_ATTEMPTS` wrong PINs in a row cost nothing; each one after that must wait before
the next attempt is even checked, the waits doubling from `FIRST_WAIT` up to `HOLD`.
From `HOLD_AFTER` wrong PINs in a row every attempt waits `HOLD`: the officer is held,
and their own right PIN, once the wait is over, clears it all (no admin needed). Four
guesses an hour, once held, against ten thousand 4-digit PINs.

The counts are kept per officer on each device, so one officer's wrong PINs never hold
up another officer on the same terminal; the hub also keeps one per officer across the
devices they have never signed in on (hub.attempts), so guessing from many devices
gains nothing. `Throttle` only does the arithmetic; callers keep the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 3
FIRST_WAIT = timedelta(seconds=5)
HOLD = timedelta(minutes=15)
HOLD_AFTER = 10


def wait_after(failures: int) -> timedelta:
    """How long to wait after `failures` wrong PINs in a row before trying again."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    if failures >= HOLD_AFTER:
        return HOLD
    return min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), HOLD)


@dataclass(frozen=True)
class Throttle:
    """Wrong PINs in a row, and when the last one was given."""

    failures: int = 0
    last_failure: datetime | None = None

    def wait(self, now: datetime) -> timedelta:
        """How long until another attempt may be checked (zero: now)."""
        if self.last_failure is None:
            return timedelta(0)
        return max(self.last_failure + wait_after(self.failures) - now, timedelta(0))

    @property
    def attempts_left(self) -> int:
        """Wrong PINs that may still be given before the next wait."""
        return max(FREE_ATTEMPTS - self.failures, 0)

    @property
    def held(self) -> bool:
        return self.failures >= HOLD_AFTER

    def worse(self, other: Throttle, now: datetime) -> Throttle:
        """Whichever of the two makes the caller wait longer (fewer attempts left on a tie)."""
        mine, theirs = self.wait(now), other.wait(now)
        if mine != theirs:
            return self if mine > theirs else other
        return self if self.failures >= other.failures else other


def seconds(delay: timedelta) -> int:
    """A wait in whole seconds, rounded up (a Retry-After)."""
    whole = int(delay.total_seconds())
    return whole + (1 if delay.total_seconds() > whole else 0)


def refusal(collar: str, throttle: Throttle, now: datetime, *, known: bool = False) -> str:
    """What to tell the person at the keyboard after a wrong PIN (or while waiting); with
    `known`, that it was the PIN that was wrong (a terminal, for an officer it holds)."""
    wait = throttle.wait(now)
    if wait > timedelta(0):
        held = f"{collar} is held after {throttle.failures} wrong PINs: " if throttle.held else ""
        return f"{held}wait {_spoken(wait)}, then try again with your own PIN"
    left = throttle.attempts_left
    plural = "attempt" if left == 1 else "attempts"
    wrong = "wrong PIN" if known else "collar number or PIN not recognised"
    return f"{wrong}: {left} {plural} left before a wait"


def _spoken(delay: timedelta) -> str:
    total = seconds(delay)
    if total < 90:
        return f"{total} second{'s' if total != 1 else ''}"
    return f"{(total + 59) // 60} minutes"
