"""Shift boundaries, for reviews that must happen within the shift.

Shifts start at fixed local (UK) clock times, set by `shift_starts` (default three
eight-hour shifts from 07:00, 15:00 and 23:00); with less than
`shift_review_window_minutes` of a shift left, a review falls to the next shift. Times
are kept in UTC; the boundaries follow the clocks changing for summer time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from firstresponse.config import Settings, load_settings, parse_clock_times

UK = ZoneInfo("Europe/London")
SHIFT_STARTS = parse_clock_times(Settings.shift_starts)
#: Less than this left of a shift, a review falls to the next shift's supervisor.
MIN_REVIEW_WINDOW = timedelta(minutes=Settings.shift_review_window_minutes)


@dataclass(frozen=True)
class ShiftPattern:
    """When shifts start (local clock times) and the least time left to review in one."""

    starts: tuple[time, ...] = SHIFT_STARTS
    window: timedelta = MIN_REVIEW_WINDOW

    @classmethod
    def from_settings(cls, settings: Settings) -> ShiftPattern:
        return cls(
            parse_clock_times(settings.shift_starts),
            timedelta(minutes=settings.shift_review_window_minutes),
        )

    def review_due(self, submitted_at: datetime) -> datetime:
        return review_due(submitted_at, self.starts, self.window)


@lru_cache(maxsize=1)
def configured() -> ShiftPattern:
    """The pattern of this process's settings (config.toml, FIRSTRESPONSE_SHIFT_STARTS and
    FIRSTRESPONSE_SHIFT_REVIEW_WINDOW_MINUTES), read once."""
    return ShiftPattern.from_settings(load_settings())


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def shift_end(at: datetime, starts: tuple[time, ...] = SHIFT_STARTS) -> datetime:
    """The end (UTC) of the shift that `at` falls in: the next start strictly after it."""
    if not starts:
        raise ValueError("a shift pattern needs at least one start time")
    local = _aware(at).astimezone(UK)
    for offset in range(2):
        day = local.date() + timedelta(days=offset)
        for start in sorted(starts):
            boundary = datetime.combine(day, start, tzinfo=UK)
            if boundary > local:
                return boundary.astimezone(UTC)
    raise AssertionError("unreachable: a start exists on the next day")


def review_due(
    submitted_at: datetime,
    starts: tuple[time, ...] = SHIFT_STARTS,
    window: timedelta = MIN_REVIEW_WINDOW,
) -> datetime:
    """When a same-shift review of a submission made at `submitted_at` is due (UTC).

    The end of the submission's shift, or of the next shift when less than `window`
    of it is left.
    """
    end = shift_end(submitted_at, starts)
    if end - _aware(submitted_at) < window:
        end = shift_end(end, starts)
    return end
