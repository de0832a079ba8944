"""What a caller asks for, and what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class LookupQuery:
    """A search: every field optional, at least one given.

    `name` is free text in any order and spelling; it may carry a date or year of birth
    ("jon smith 1985"). When only part of the date of birth is known, give `dob_year`
    (and `dob_month`) instead of `dob`.
    """

    name: str = ""
    dob: date | None = None
    phone: str = ""
    postcode: str = ""
    address: str = ""
    dob_year: int | None = None
    dob_month: int | None = None

    def is_empty(self) -> bool:
        fields = (self.name, self.dob, self.phone, self.postcode, self.address, self.dob_year)
        return not any(str(f or "").strip() for f in fields)


@dataclass
class Match:
    """One person who may be the one asked about, with the reasons in plain English."""

    person_id: str
    name: str
    dob: date | None
    postcode: str
    score: float
    reasons: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    da_incidents_12m: int = 0  # any role
    as_victim_12m: int = 0
    as_suspect_12m: int = 0
