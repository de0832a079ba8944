"""What the call handler records first: who is calling, who is at risk, what is happening."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ChildDetails:
    """One child at or normally living at the address: recorded individually."""

    name: str
    age: int | None = None


@dataclass
class CallDetails:
    """The first details of a live call, before THRIVE."""

    victim_forename: str = ""
    victim_surname: str = ""
    victim_dob: date | None = None
    victim_ethnicity: str = ""  # self-defined, an 18+1 code (vocab.ETHNICITIES); optional
    phone: str = ""
    address: str = ""
    postcode: str = ""
    caller_name: str = ""
    relationship: str = ""
    happening_now: str = ""
    suspect_forename: str = ""
    suspect_surname: str = ""
    suspect_present: str = ""  # yes / no / unknown
    weapons: str = ""  # yes / no / unknown
    children: list[ChildDetails] = field(default_factory=list)

    @property
    def victim_name(self) -> str:
        return f"{self.victim_forename} {self.victim_surname}".strip()

    @property
    def suspect_name(self) -> str:
        return f"{self.suspect_forename} {self.suspect_surname}".strip()


def split_name(text: str) -> tuple[str, str]:
    """'Forename Middle Surname' -> ('Forename Middle', 'Surname')."""
    parts = text.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def parse_children(text: str) -> list[ChildDetails]:
    """'Amy 6, Ben 3, baby' -> one ChildDetails each (the age when a number is given)."""
    children = []
    for chunk in re.split(r"[,;]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        age_match = re.search(r"\b(\d{1,2})\b", chunk)
        age = int(age_match.group(1)) if age_match else None
        name = re.sub(r"\b\d{1,2}\b|\b(years?|yrs?|y/?o|aged?)\b", "", chunk, flags=re.I)
        children.append(ChildDetails(" ".join(name.split()) or "Unnamed child", age))
    return children


def parse_dob(text: str) -> date | None:
    """A full date as YYYY-MM-DD or DD/MM/YYYY, else None (partial dates are search-only)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None
