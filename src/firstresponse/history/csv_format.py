"""The import CSV: one row per person per incident. Columns, and checking one row.

`COLUMNS` is the documented format (docs/import-format.md); `parse_row` turns one CSV
row into a `HistoryRow` or raises `RowError` with a plain-English reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from firstresponse.records import (
    Grade,
    Marker,
    OrderKind,
    Relationship,
    RiskLevel,
    limits,
    validate,
)
from firstresponse.vocab import ETHNICITIES, ethnicity_code


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    format: str
    example: str


COLUMNS = (
    Column("incident_ref", True, "the force's incident reference", "WM23/0012345"),
    Column(
        "occurred_at", True, "YYYY-MM-DD or YYYY-MM-DD HH:MM (DD/MM/YYYY also)", "2023-04-11 22:40"
    ),
    Column("role", True, "victim, suspect or child", "victim"),
    Column("person_ref", True, "the force's id for the person", "P00012345"),
    Column("forename", True, "text", "Elizabeth"),
    Column("surname", True, "text", "Marsh"),
    Column("dob", False, "YYYY-MM-DD or DD/MM/YYYY", "1988-03-07"),
    Column("gender", False, "F, M or X", "F"),
    Column(
        "ethnicity",
        False,
        "self-defined, an 18+1 code or its name: "
        + ", ".join(ETHNICITIES)
        + " (NS: not stated); blank: not recorded",
        "W1",
    ),
    Column("phone", False, "UK number, any spacing, +44 allowed", "07700 900123"),
    Column("postcode", False, "UK postcode", "WR5 2DX"),
    Column("address", False, "text", "14 Kestrel Close, Worcester"),
    Column(
        "aliases",
        False,
        "kind:name; ... (alias, nickname, previous_surname, married_surname)",
        "nickname:Liz; previous_surname:Thornbury",
    ),
    Column(
        "markers",
        False,
        "marker; ... (" + ", ".join(m.value for m in Marker) + ")",
        "repeat_victim; mental_health",
    ),
    Column(
        "relationship",
        False,
        "suspect to victim: " + ", ".join(r.value for r in Relationship),
        "ex_partner",
    ),
    Column("risk_level", False, "standard, medium or high", "high"),
    Column("grade", False, ", ".join(g.value for g in Grade), "immediate"),
    Column("crime_recorded", False, "yes or no", "yes"),
    Column("arrest_made", False, "yes, no or blank (not known)", "no"),
    Column("restricted", False, "yes or no (police workforce suspect)", "no"),
    Column("summary", False, "text", "Pushed during an argument"),
    Column("order_kind", False, ", ".join(k.value for k in OrderKind), "restraining_order"),
    Column("order_starts", False, "YYYY-MM-DD", "2024-01-15"),
    Column("order_ends", False, "YYYY-MM-DD, blank if open-ended", "2026-01-15"),
    Column("order_detail", False, "text", "No contact with the victim"),
)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
ROLES = ("victim", "suspect", "child")
ALIAS_KINDS = ("alias", "nickname", "previous_surname", "married_surname")
LIST_CELL = limits.Rule(20 * limits.NAME.max_chars, what="a list cell")
# The bound each cell is held to before it is read (records.limits; LINE when not listed).
CELL_RULES = {
    "forename": limits.NAME,
    "surname": limits.NAME,
    "address": limits.ADDRESS,
    "summary": limits.TEXT,
    "order_detail": limits.TEXT,
    "aliases": LIST_CELL,
    "markers": LIST_CELL,
}
_SHORTEST = min(rule.max_chars for rule in (limits.LINE, *CELL_RULES.values()))
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_PHONE_CHARS = re.compile(r"^[0-9 +()\-]+$")
_YES = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}


class RowError(ValueError):
    """A row that cannot be imported; the message says why, in plain words."""


@dataclass
class HistoryRow:
    """One checked CSV row."""

    line: int
    incident_ref: str
    occurred_at: datetime
    role: str
    person_ref: str
    forename: str
    surname: str
    dob: date | None = None
    gender: str = ""
    ethnicity: str = ""
    phone: str = ""
    postcode: str = ""
    address: str = ""
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # forename, surname, kind
    markers: list[str] = field(default_factory=list)
    relationship: str = ""
    risk_level: str | None = None
    grade: str | None = None
    crime_recorded: bool = False
    arrest_made: bool | None = None
    restricted: bool = False
    summary: str = ""
    order: tuple[str, date | None, date | None, str] | None = None  # kind, starts, ends, detail


_ASCII_DIGIT = re.compile(r"[0-9]")
MARKERS = tuple(m.value for m in Marker)
RELATIONSHIPS = tuple(r.value for r in Relationship)
RISK_LEVELS = tuple(r.value for r in RiskLevel)
GRADES = tuple(g.value for g in Grade)
ORDER_KINDS = tuple(k.value for k in OrderKind)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")


def _date(value: str, column: str) -> date:
    if _ISO_DATE.match(value):  # the usual form, read without strptime (much faster)
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError(f"{column} {value!r} is not a date (use YYYY-MM-DD)")


def _datetime(value: str, column: str) -> datetime:
    if _ISO_MINUTE.match(value) or _ISO_DATE.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    for fmt in (
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d",
        "%d/%m/%Y",
    ):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise RowError(f"{column} {value!r} is not a date and time (use YYYY-MM-DD HH:MM)")


def _choice(value: str, column: str, allowed: tuple[str, ...]) -> str:
    folded = value.strip().lower().replace(" ", "_").replace("-", "_")
    if folded not in allowed:
        raise RowError(f"{column} {value!r} is not one of: {', '.join(allowed)}")
    return folded


def _flag(value: str, column: str) -> bool | None:
    if not value:
        return None
    try:
        return _YES[value.strip().lower()]
    except KeyError:
        raise RowError(f"{column} {value!r} must be yes or no") from None


def _name(value: str, column: str) -> str:
    if problem := limits.text_problem(column, value, limits.NAME):
        raise RowError(problem)
    name = " ".join(value.split())
    if not name:
        raise RowError(f"{column} is empty")
    digits = _ASCII_DIGIT.search(name) if name.isascii() else any(c.isdigit() for c in name)
    if digits:
        raise RowError(f"{column} {value!r} does not look like a name")
    return name


def _check_cells(cell: dict[str, str]) -> None:
    """Every cell within its bound (length, no control characters), before it is read.

    Printable text holds no control character, so a row of printable cells none longer
    than the shortest bound (nearly every row) is passed without checking each cell.
    """
    values = cell.values()
    if max(map(len, values), default=0) <= _SHORTEST and "".join(values).isprintable():
        return
    for column, value in cell.items():
        rule = CELL_RULES.get(column, limits.LINE)
        if problem := limits.text_problem(column[:40], value, rule):
            raise RowError(problem)


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or not 10 <= len(digits) <= 13:
        raise RowError(f"phone {value!r} is not a UK phone number")
    return " ".join(value.split())


def _postcode(value: str) -> str:
    match = _POSTCODE.match(value.strip().upper())
    if not match:
        raise RowError(f"postcode {value!r} is not a UK postcode (like WR5 2DX)")
    return f"{match.group(1)} {match.group(2)}"


def _aliases(value: str) -> list[tuple[str, str, str]]:
    out = []
    for item in filter(None, (part.strip() for part in value.split(";"))):
        kind, sep, name = item.partition(":")
        if not sep:
            kind, name = "alias", item
        kind = _choice(kind, "alias kind", ALIAS_KINDS)
        name = _name(name, f"alias {item!r}")
        if kind == "nickname":
            out.append((name, "", kind))
        elif kind in {"previous_surname", "married_surname"}:
            out.append(("", name, kind))
        else:
            forename, _, surname = name.rpartition(" ")
            out.append((forename, surname, kind))
    return out


def parse_row(line: int, raw: dict[str, str | None]) -> HistoryRow:
    """Check one CSV row (as read by DictReader); RowError says what is wrong."""
    cell = {key: (value or "").strip() for key, value in raw.items() if key is not None}
    _check_cells(cell)
    missing = [name for name in REQUIRED if not cell.get(name)]
    if missing:
        raise RowError(f"missing {', '.join(missing)}")
    row = HistoryRow(
        line=line,
        incident_ref=cell["incident_ref"],
        occurred_at=_datetime(cell["occurred_at"], "occurred_at"),
        role=_choice(cell["role"], "role", ROLES),
        person_ref=cell["person_ref"],
        forename=_name(cell["forename"], "forename"),
        surname=_name(cell["surname"], "surname"),
        address=" ".join(cell.get("address", "").split()),
        summary=cell.get("summary", ""),
    )
    if problem := validate.moment_problem("occurred_at", row.occurred_at):
        raise RowError(problem)
    if dob := cell.get("dob"):
        row.dob = _date(dob, "dob")
        if problem := limits.dob_problem("dob", row.dob):
            raise RowError(problem)
        if row.dob > row.occurred_at.date():
            raise RowError(f"dob {dob} is after the incident")
    if gender := cell.get("gender"):
        row.gender = _choice(gender, "gender", ("f", "m", "x")).upper()
    if ethnicity := cell.get("ethnicity"):
        try:
            row.ethnicity = ethnicity_code(ethnicity)
        except ValueError as exc:
            raise RowError(str(exc)) from None
    if phone := cell.get("phone"):
        row.phone = _phone(phone)
    if postcode := cell.get("postcode"):
        row.postcode = _postcode(postcode)
    row.aliases = _aliases(cell.get("aliases", ""))
    markers = [m for m in (part.strip() for part in cell.get("markers", "").split(";")) if m]
    row.markers = [_choice(m, "marker", MARKERS) for m in markers]
    if relationship := cell.get("relationship"):
        row.relationship = _choice(relationship, "relationship", RELATIONSHIPS)
    if level := cell.get("risk_level"):
        row.risk_level = _choice(level, "risk_level", RISK_LEVELS)
    if grade := cell.get("grade"):
        row.grade = _choice(grade, "grade", GRADES)
    row.crime_recorded = bool(_flag(cell.get("crime_recorded", ""), "crime_recorded"))
    row.arrest_made = _flag(cell.get("arrest_made", ""), "arrest_made")
    row.restricted = bool(_flag(cell.get("restricted", ""), "restricted"))
    if Marker.POLICE_WORKFORCE_SUSPECT.value in row.markers and row.role == "suspect":
        row.restricted = True
    row.order = _order(cell)
    return row


def _order(cell: dict[str, str]) -> tuple[str, date | None, date | None, str] | None:
    kind = cell.get("order_kind", "")
    if not kind:
        if any(cell.get(c) for c in ("order_starts", "order_ends", "order_detail")):
            raise RowError("order_kind is empty but other order columns are filled")
        return None
    kind = _choice(kind, "order_kind", ORDER_KINDS)
    starts = _date(cell["order_starts"], "order_starts") if cell.get("order_starts") else None
    ends = _date(cell["order_ends"], "order_ends") if cell.get("order_ends") else None
    if starts and ends and ends < starts:
        raise RowError(f"order_ends {ends} is before order_starts {starts}")
    return kind, starts, ends, cell.get("order_detail", "")
