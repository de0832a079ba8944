"""Records of one person: clusters of confirmed links, and pairs worth proposing.

A confirmed link says two records are the same human being; clusters follow links
transitively. Proposals come from the lookup index: records sharing a date of birth
(or the same date with day and month swapped), a phone number or an address with
the person, whose forenames agree and whose dates of birth do not contradict it.
A pair somebody has already decided about (confirmed, rejected or unlinked) is
never proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from firstresponse.lookup.index import load_people
from firstresponse.lookup.keys import PersonFacts
from firstresponse.lookup.models import LinkProposal
from firstresponse.lookup.normalise import address_keys, phone_key
from firstresponse.lookup.scoring import similarity
from firstresponse.lookup.sql import rows
from firstresponse.records import table_of
from firstresponse.records.links import CONFIRMED, PersonLink
from firstresponse.records.lookup import LookupKey

_KEYS = table_of(LookupKey)
_LINKS = table_of(PersonLink)
MAX_KEY_ROWS = 400
FORENAME_AGREES = 0.8
SURNAME_KINDS = ("previous_surname", "married_surname", "maiden_surname")


def pair(a: str, b: str) -> tuple[str, str]:
    """The pair in stored order (the smaller id first)."""
    return (a, b) if a < b else (b, a)


def clusters(db: Session, ids: Iterable[str]) -> dict[str, list[str]]:
    """For each id, every record confirmed to be the same person (itself first)."""
    wanted = list(dict.fromkeys(ids))
    edges: dict[str, set[str]] = {}
    frontier = set(wanted)
    seen: set[str] = set()
    while frontier:
        seen |= frontier
        nxt: set[str] = set()
        for a, b in rows(
            db,
            "SELECT person_id, other_id FROM person_link"
            " WHERE status = ? AND (person_id IN (?*) OR other_id IN (?*))",
            CONFIRMED,
            sorted(frontier),
            sorted(frontier),
        ):
            edges.setdefault(a, set()).add(b)
            edges.setdefault(b, set()).add(a)
            nxt |= {a, b}
        frontier = nxt - seen
    out: dict[str, list[str]] = {}
    for start in wanted:
        order, todo = [start], [start]
        while todo:
            for other in sorted(edges.get(todo.pop(), ())):
                if other not in order:
                    order.append(other)
                    todo.append(other)
        out[start] = order
    return out


def linked_ids(db: Session, person_id: str) -> list[str]:
    """The person and every record confirmed to be them, the person first."""
    return clusters(db, [person_id])[person_id]


def decided_pairs(db: Session, person_ids: Iterable[str]) -> set[tuple[str, str]]:
    ids = list(person_ids)
    rows = db.execute(
        select(_LINKS.c.person_id, _LINKS.c.other_id).where(
            or_(_LINKS.c.person_id.in_(ids), _LINKS.c.other_id.in_(ids))
        )
    )
    return {(a, b) for a, b in rows}


def _swapped(dob: date) -> date | None:
    if dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month)
    return None


def _probe_keys(person: PersonFacts) -> list[str]:
    keys = []
    if person.dob:
        keys.append("d:" + person.dob.isoformat())
        if swapped := _swapped(person.dob):
            keys.append("d:" + swapped.isoformat())
    if phone := phone_key(person.phone):
        keys.append("t:" + phone)
    keys += ["a:" + k for k in address_keys(person.address)]
    return keys


def _forename_reason(a: PersonFacts, b: PersonFacts) -> str | None:
    """Why the forenames agree (own names and aliases), or None when they do not."""
    best, reason = 0.0, ""
    for ra in a.names():
        for rb in b.names():
            for fa in ra.forenames[:1]:
                for fb in rb.forenames[:1]:
                    sim = similarity(fa, fb)
                    if sim.score > best:
                        best = sim.score
                        how = {"": "same forename", "nickname": "name variant"}.get(
                            sim.how, f"forename {sim.how}"
                        )
                        reason = how if fa == fb else f"{how} {fa.title()}={fb.title()}"
    return reason if best >= FORENAME_AGREES else None


def _surname_reason(a: PersonFacts, b: PersonFacts) -> str:
    own_a, own_b = a.names()[0].surnames, b.names()[0].surnames
    if own_a == own_b:
        return "same surname"
    for x, y in ((a, b), (b, a)):
        own = y.names()[0].surnames
        for record in x.names()[1:]:
            if record.kind in SURNAME_KINDS and record.surnames == own:
                kind = "maiden surname" if record.kind != "married_surname" else record.kind
                return f"{kind.replace('_', ' ')} {' '.join(own).title()} of {x.full_name}"
    return ""


def _dob_reason(a: PersonFacts, b: PersonFacts) -> str | None:
    """ "" when either is unknown, None when they contradict each other."""
    if not a.dob or not b.dob:
        return ""
    if a.dob == b.dob:
        return "same DOB"
    if _swapped(a.dob) == b.dob:
        return "DOB day/month swapped"
    return None


def compare(a: PersonFacts, b: PersonFacts) -> list[str] | None:
    """Reasons to think `a` and `b` are one person, or None when they are not worth asking."""
    forename = _forename_reason(a, b)
    dob = _dob_reason(a, b)
    if forename is None or dob is None:
        return None
    surname = _surname_reason(a, b)
    shared = []
    if phone_key(a.phone) and phone_key(a.phone) == phone_key(b.phone):
        shared.append("same phone")
    if address_keys(a.address) & address_keys(b.address):
        shared.append("same address")
    elif a.postcode_key() and a.postcode_key() == b.postcode_key():
        shared.append("same postcode")
    if not dob and not (surname and shared):
        return None
    if not surname and not shared:  # only a forename and a birthday in common
        return None
    return [r for r in (forename, surname, dob, *shared) if r]


def proposals(db: Session, person_id: str, limit: int = 5) -> list[LinkProposal]:
    """Records that may be the same person as `person_id` (none already decided about)."""
    cluster = linked_ids(db, person_id)
    people = load_people(db, cluster)
    probes = {k for p in people.values() for k in _probe_keys(p)}
    if not probes:
        return []
    rows = db.execute(
        select(_KEYS.c.person_id).where(_KEYS.c.key.in_(probes)).limit(MAX_KEY_ROWS)
    ).scalars()
    candidates = [pid for pid in dict.fromkeys(rows) if pid not in cluster]
    if not candidates:
        return []
    decided = decided_pairs(db, cluster)
    others = load_people(db, candidates)
    found: dict[str, LinkProposal] = {}
    for mine in people.values():
        for other in others.values():
            if pair(mine.id, other.id) in decided or other.id in found:
                continue
            reasons = compare(mine, other)
            if reasons:
                found[other.id] = LinkProposal(
                    person_id=person_id,
                    other_id=other.id,
                    other_name=other.full_name,
                    other_dob=other.dob,
                    reasons=reasons,
                )
    ranked = sorted(found.values(), key=lambda p: (-len(p.reasons), p.other_name, p.other_id))
    return ranked[:limit]
