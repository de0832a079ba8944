"""Working days in England and Wales: Monday to Friday, not a bank holiday.

Bank holidays follow the standing rules (New Year's Day, Good Friday, Easter Monday, the
first and last Mondays of May, the last Monday of August, Christmas and Boxing Day, with
weekday substitutes), corrected for the one-off changes announced for particular years.
A deadline "within N working days" of a day ends at the close (23:59:59 UK time) of the
Nth working day after it. A school day is taken as a working day (term dates are not known
here), starting at 09:00 UK time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

#: One-off changes: (moved from, moved to) and extra days, by year.
MOVED = {
    2020: [(date(2020, 5, 4), date(2020, 5, 8))],
    2022: [(date(2022, 5, 30), date(2022, 6, 2))],
}
EXTRA = {
    2011: [date(2011, 4, 29)],
    2012: [date(2012, 6, 5)],
    2022: [date(2022, 6, 3), date(2022, 9, 19)],
    2023: [date(2023, 5, 8)],
}
#: In 2012 the late May holiday moved to 4 June.
MOVED[2012] = [(date(2012, 5, 28), date(2012, 6, 4))]


def aware(at: datetime) -> datetime:
    """A stored time as UTC (SQLite hands back naive datetimes, which are UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _substitute(day: date, taken: set[date]) -> date:
    """The day itself if a free weekday, else the next weekday not already a holiday."""
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year`."""
    easter = easter_sunday(year)
    days = {
        _substitute(date(year, 1, 1), set()),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    christmas = _substitute(date(year, 12, 25), set())
    days |= {christmas, _substitute(date(year, 12, 26), {christmas})}
    for old, new in MOVED.get(year, []):
        days.discard(old)
        days.add(new)
    days.update(EXTRA.get(year, []))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`th working day after `day` (`day` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_after(at: datetime, count: int) -> datetime:
    """The close (UTC) of the `count`th working day after the UK date of `at`."""
    start = aware(at).astimezone(UK).date()
    end = add_working_days(start, count)
    return datetime.combine(end, time(23, 59, 59), tzinfo=UK).astimezone(UTC)


SCHOOL_STARTS = time(9, 0)


def next_school_day_start(at: datetime) -> datetime:
    """The start (09:00 UK, as UTC) of the first school day starting after `at`."""
    local = aware(at).astimezone(UK)
    day = local.date()
    if not (is_working_day(day) and local.time() < SCHOOL_STARTS):
        day = add_working_days(day, 1)
    return datetime.combine(day, SCHOOL_STARTS, tzinfo=UK).astimezone(UTC)
