"""One rule for a person's name and for when something happened, wherever it is entered.

The terminal's forms, the history import and the hub each ask the same two questions
(records.limits applies them to every record body; a form asks them as it is filled in):

- `name_problem`: a name is letters, with the marks, spaces and punctuation names have.
  It holds no control character, no line or paragraph separator, and no invisible
  formatting character: bidirectional marks and overrides (U+200E, U+200F, U+061C,
  U+202A-U+202E, U+2066-U+2069), zero-width spaces (U+200B, U+FEFF), soft hyphens. The
  zero-width joiner and non-joiner (U+200D, U+200C) are part of how some scripts spell a
  name (Persian, the Indic scripts), so they are allowed between two letters and nowhere
  else. A name never starts with `=`, `+`, `-` or `@`: a spreadsheet opened on an
  export would run it as a formula. Such a name is refused, never quietly changed, so
  forename and surname are treated alike on every path.
- `moment_problem`: when something happened (an incident's `occurred_at`) is not in the
  future beyond `CLOCK_SKEW` (a terminal clock running fast, or an hour out on British
  Summer Time) and not before `EARLIEST_YEAR`.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

FORMULA_START = frozenset("=+-@")
CLOCK_SKEW = timedelta(hours=2)
EARLIEST_YEAR = 1900
#: Categories never in a name: controls, surrogates, line and paragraph separators,
#: private use and unassigned code points. Format characters (Cf) are refused too, bar
#: the joiners between letters (`_joins_letters`).
_NEVER = frozenset({"Cc", "Cs", "Zl", "Zp", "Co", "Cn"})
_JOINERS = frozenset("\u200c\u200d")


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _joins_letters(value: str, index: int) -> bool:
    return 0 < index < len(value) - 1 and _letter(value[index - 1]) and _letter(value[index + 1])


def invisible_character(value: str) -> str | None:
    """The first character of `value` no name may hold, as "U+XXXX", or None."""
    if value.isascii():
        return next((f"U+{ord(c):04X}" for c in value if not c.isprintable()), None)
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category in _NEVER or (
            category == "Cf" and not (char in _JOINERS and _joins_letters(value, index))
        ):
            return f"U+{ord(char):04X}"
    return None


def name_problem(label: str, value: str) -> str | None:
    """Why `value` cannot be a name (see the module docstring), or None. Length is
    records.limits' to check (`limits.NAME`)."""
    if found := invisible_character(value):
        return f"{label} holds an invisible or control character ({found}): type the name alone"
    first = value.lstrip()[:1]
    if first in FORMULA_START:
        return (
            f"{label} {value[:20]!r} starts with {first!r}, which a spreadsheet runs as a "
            "formula: a name starts with a letter"
        )
    return None


def _utc(moment: datetime) -> datetime:
    """A time without a zone is taken as UTC (what the terminal and the hub write)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def moment_problem(label: str, value: datetime, now: datetime | None = None) -> str | None:
    """Why `value` cannot be when something happened (see the module docstring), or None."""
    value = _utc(value)
    now = _utc(now or datetime.now(UTC))
    if value > now + CLOCK_SKEW:
        return f"{label} {value.isoformat(timespec='minutes')} is in the future"
    if value.year < EARLIEST_YEAR:
        return f"{label} {value.isoformat(timespec='minutes')} is before {EARLIEST_YEAR}"
    return None


def moment_text_problem(label: str, value: object) -> str | None:
    """`moment_problem` for a time as a record's JSON body holds it (ISO text)."""
    if isinstance(value, datetime):
        return moment_problem(label, value)
    if not isinstance(value, str) or len(value) > 40:
        return f"{label} is not a date and time (ISO 8601)"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"{label} {value[:40]!r} is not a date and time (ISO 8601)"
    return moment_problem(label, moment)
