"""The bounds every record must keep, defined once for the terminal, import and the hub.

Every text field has a length limit: names, addresses and free text their own, any
other text (codes, references, collar numbers, ids) `LINE`. Every text is valid Unicode
(no lone surrogate). One-line fields hold no control characters (NUL, escapes,
bidirectional overrides, zero-width spaces, line separators); free text may hold line
breaks and tabs and nothing else of the kind. Names follow records.validate's one rule
(no invisible characters, nothing a spreadsheet would run as a formula), as does when an
incident happened (`MOMENT_FIELDS`: not in the future). JSON fields (answers, results,
briefings, audit detail) are capped by the size of their JSON text. A date of birth is
neither in the future nor absurdly long ago. A coded field (`CODES`) holds one of its codes
or nothing. An integer fits in 64 bits (what every database the records go to can hold).

`problems(table, body)` checks a record's JSON body (what the outbox sends and the hub
receives: dates as ISO text) and lists what is wrong in plain words; `check` raises
`InvalidRecord` with them. The cheap length test runs before any scan, so a field of
megabytes is refused in microseconds. Imports nothing heavy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import orjson

from firstresponse.records.validate import FORMULA_START, moment_text_problem, name_problem
from firstresponse.vocab import ETHNICITIES


@dataclass(frozen=True)
class Rule:
    """How long a text field may be, and whether line breaks are allowed in it."""

    max_chars: int
    multiline: bool = False
    what: str = "text"
    name: bool = False  # held to records.validate.name_problem too


NAME = Rule(100, what="a name", name=True)
LINE = Rule(200)
ADDRESS = Rule(300, what="an address")
TEXT = Rule(20_000, multiline=True)
MAX_JSON_CHARS = 256_000
MAX_AGE_YEARS = 125
MAX_CHILD_AGE = 25
INT_BITS = 64
_INT_MIN, _INT_MAX = -(1 << (INT_BITS - 1)), (1 << (INT_BITS - 1)) - 1

_NAMES = {"forename": NAME, "surname": NAME, "name": NAME}
# table -> field -> rule; text fields not listed here are held to LINE.
FIELDS: dict[str, dict[str, Rule]] = {
    "person": {**_NAMES, "address": ADDRESS},
    "personalias": _NAMES,
    "personmarker": {"note": TEXT},
    "protectiveorder": {"detail": TEXT},
    "incident": {"address": ADDRESS, "summary": TEXT},
    "child": {"name": NAME, "school": LINE, "where_during": ADDRESS, "reason": TEXT},
    "decision": {"reason": TEXT},
    "assessment": {"amendment_reason": TEXT},
    "review": {"feedback": TEXT},
    "notification": {"body": TEXT},
    "user": {"name": NAME},
    "highriskreview": {"reason": TEXT, "feedback": TEXT},
    "caseoutcome": {"reason": TEXT},
    "orderoutcome": {"court": LINE, "note": TEXT},
    "victimcontact": {"note": TEXT},
    "dvdsapplication": {
        "applicant_name": NAME,
        "victim_name": NAME,
        "subject_name": NAME,
        "concerns": TEXT,
        "safe_contact": TEXT,
    },
    "dvdsstep": {"note": TEXT},
}
DOB_FIELDS = frozenset({"dob"})
#: When something happened: not in the future (records.validate.moment_problem).
MOMENT_FIELDS = frozenset({"occurred_at"})
#: (table, field) -> the codes it may hold ("" always allowed: not recorded).
CODES: dict[tuple[str, str], frozenset[str]] = {("person", "ethnicity"): frozenset(ETHNICITIES)}

_CONTROL_LINE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class InvalidRecord(ValueError):
    """A record outside its bounds; the message lists every problem in plain words."""


def rule_for(table: str, column: str) -> Rule:
    """The rule for a text field (LINE unless the table names another)."""
    return FIELDS.get(table, {}).get(column, LINE)


def text_problem(label: str, value: str, rule: Rule = LINE) -> str | None:
    """Why `value` breaks `rule`, or None."""
    if len(value) > rule.max_chars:
        most = f"{rule.what} may have at most {rule.max_chars:,}"
        return f"{label} is {len(value):,} characters long; {most}"
    if lone := _SURROGATE.search(value):
        return f"{label} is not valid text: it holds a lone surrogate (U+{ord(lone.group()):04X})"
    found = (_CONTROL_TEXT if rule.multiline else _CONTROL_LINE).search(value)
    if found:
        return f"{label} holds a control character (U+{ord(found.group()):04X})"
    return name_problem(label, value) if rule.name else None


def latest_uk_date() -> date:
    """Today's date wherever it is latest in the UK (British Summer Time is UTC+1)."""
    return (datetime.now(UTC) + timedelta(hours=1)).date()


def dob_problem(label: str, value: date, today: date | None = None) -> str | None:
    """Why a date of birth cannot be right, or None."""
    today = today or latest_uk_date()
    if value > today:
        return f"{label} {value.isoformat()} is in the future"
    if value.year < today.year - MAX_AGE_YEARS:
        return f"{label} {value.isoformat()} is more than {MAX_AGE_YEARS} years ago"
    return None


def _json_problem(label: str, value: Any) -> str | None:
    try:
        text = orjson.dumps(value, default=str)
    except (TypeError, orjson.JSONEncodeError):
        return f"{label} is not JSON"
    if len(text) > MAX_JSON_CHARS:
        most = f"at most {MAX_JSON_CHARS:,} are allowed"
        return f"{label} is {len(text):,} characters of JSON; {most}"
    if b"\\u0000" in text:
        return f"{label} holds a NUL character"
    return None


def _dob(label: str, value: Any) -> str | None:
    if isinstance(value, str):
        if len(value) > 10:
            return f"{label} is not a date (YYYY-MM-DD)"
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return f"{label} {value!r} is not a date (YYYY-MM-DD)"
    if isinstance(value, datetime):
        value = value.date()
    return dob_problem(label, value) if isinstance(value, date) else None


def _field_problem(table: str, column: str, value: Any) -> str | None:
    label = column[:40]
    if column in DOB_FIELDS and value is not None:
        return _dob(label, value)
    if column in MOMENT_FIELDS and value is not None:
        return moment_text_problem(label, value)
    if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
        return f"{label} is too large for a {INT_BITS}-bit integer"
    if isinstance(value, str):
        found = text_problem(label, value, rule_for(table, column))
        codes = CODES.get((table, column))
        if found is None and codes is not None and value and value not in codes:
            found = f"{label} {value[:20]!r} is not one of the codes: {', '.join(sorted(codes))}"
        return found
    if isinstance(value, dict | list):
        return _json_problem(label, value)
    if table == "child" and column == "age" and isinstance(value, int):
        return None if 0 <= value <= MAX_CHILD_AGE else f"age {value} is not 0 to {MAX_CHILD_AGE}"
    return None


_PLAIN = frozenset({type(None), bool, float})


@cache
def _plain_text(table: str) -> tuple[dict[str, Rule], frozenset[str]]:
    """The text rules of `table`'s fields, and the fields always checked in full."""
    special = DOB_FIELDS | MOMENT_FIELDS | {column for name, column in CODES if name == table}
    if table == "child":
        special |= {"age"}
    return FIELDS.get(table, {}), frozenset(special)


def problems(table: str, body: Mapping[str, Any]) -> list[str]:
    """Every bound the record `body` of `table` breaks, in field order (empty if none).

    A short text of printable ASCII or a plain number is passed at once; anything else is checked in
    full (`_field_problem`). Runs on every record a hub receives, so kept lean.
    """
    rules, special = _plain_text(table)
    found = []
    for column, value in body.items():
        if column not in special:
            kind = type(value)
            if kind is str:  # printable ASCII holds no control character
                rule = rules.get(column, LINE)
                short = len(value) <= rule.max_chars
                formula = rule.name and value.lstrip()[:1] in FORMULA_START
                if short and value.isascii() and value.isprintable() and not formula:
                    continue
            elif kind in _PLAIN or (kind is int and _INT_MIN <= value <= _INT_MAX):
                continue
        if problem := _field_problem(table, str(column), value):
            found.append(problem)
    return found


def check(table: str, body: Mapping[str, Any]) -> None:
    """Raise InvalidRecord listing every bound `body` breaks."""
    if found := problems(table, body):
        raise InvalidRecord("; ".join(found))
