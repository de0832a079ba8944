"""What the call handler records first: who is calling, who is at risk, what is happening."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from firstresponse.records import limits


@dataclass(frozen=True)
class ChildDetails:
    """One child at or normally living at the address: recorded individually."""

    name: str
    age: int | None = None
    dob: date | None = None
    #: The person chosen from the lookup's matches for this child (their own id and
    #: history), or None: the child is recorded on the call only.
    person_id: str | None = None


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


def name_problems(details: CallDetails) -> list[tuple[str, str]]:
    """Each name on the call that is not a name (records.validate, through records.limits:
    control, bidirectional and zero-width characters, a formula start, too long) as
    (which box, why), so the form can say so and put the cursor there."""
    named = [
        ("name", "The forename of the person at risk", details.victim_forename),
        ("name", "The surname of the person at risk", details.victim_surname),
        ("suspect", "The suspect's forename", details.suspect_forename),
        ("suspect", "The suspect's surname", details.suspect_surname),
        ("caller", "The caller's name", details.caller_name),
    ]
    named += [("children", f"Child {n}'s name", c.name) for n, c in enumerate(details.children, 1)]
    found = []
    for box, label, value in named:
        if value and (problem := limits.text_problem(label, value, limits.NAME)):
            found.append((box, problem))
    return found


def split_name(text: str) -> tuple[str, str]:
    """'Forename Middle Surname' -> ('Forename Middle', 'Surname')."""
    parts = text.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


#: A full date of birth typed on a child ("Amy 2019-03-04", "Amy 04/03/2019").
_CHILD_DOB = re.compile(r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b")


def parse_child(chunk: str) -> ChildDetails | None:
    """'Amy 6', 'Ben aged 3', 'Cai 2019-03-04' -> the child (None for a blank chunk)."""
    chunk = chunk.strip()
    if not chunk:
        return None
    dob_match = _CHILD_DOB.search(chunk)
    dob = parse_dob(dob_match.group(1)) if dob_match else None
    if dob_match:
        chunk = chunk.replace(dob_match.group(1), " ")
    age_match = re.search(r"\b(\d{1,2})\b", chunk)
    age = int(age_match.group(1)) if age_match else None
    name = re.sub(r"\b\d{1,2}\b|\b(years?|yrs?|y/?o|aged?)\b", "", chunk, flags=re.I)
    return ChildDetails(" ".join(name.split()) or "Unnamed child", age, dob)


def parse_children(text: str) -> list[ChildDetails]:
    """'Amy 6, Ben 3, baby' -> one ChildDetails each (the age when a number is given, the
    date of birth when a full one is)."""
    return [c for c in map(parse_child, re.split(r"[,;]+", text)) if c is not None]


def child_at(text: str, position: int) -> tuple[int, str]:
    """Which child of the list the cursor is on: (its index among the chunks, its text)."""
    before = text[:position]
    index = len(re.findall(r"[,;]", before))
    chunks = re.split(r"[,;]", text)
    return index, chunks[index] if index < len(chunks) else ""


def replace_child(text: str, index: int, replacement: str) -> str:
    """The list with chunk `index` replaced (separators and the other children kept)."""
    parts = re.split(r"([,;])", text)
    chunk = 2 * index
    if chunk < len(parts):
        lead = " " if index and parts[chunk].startswith(" ") else ""
        parts[chunk] = lead + replacement
    return "".join(parts)


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
