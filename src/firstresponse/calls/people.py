"""The people on a call: held on this terminal under the ids the lookup gave them, and the
whole record of both that THRIVE's floor and the briefing read.

A person chosen from the lookup's matches is that very person on the call: the hub's copy
of their record is held here (`LookupSource.hold`). When neither the hub nor this store can
give it (the hub went away between the match and the call), a placeholder with the hub's
id, name and date of birth is held instead: never sent (the hub has the person), and filled
in by the next copy. THRIVE and the briefing read both people's record from this store with
the call in hand left out (it is not their history), so a call gives the same floor and
briefing online and offline, when it is taken and when it is reopened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from firstresponse import lookup
from firstresponse.calls.details import parse_dob, split_name
from firstresponse.calls.facts import facts_from_history
from firstresponse.calls.sources import Candidate, History, LookupSource, viewed
from firstresponse.records import Incident, Person, User
from firstresponse.store import Store
from firstresponse.sync.client import SyncFailure


def _hold(source: LookupSource, person_id: str) -> bool:
    try:
        return source.hold(person_id)
    except SyncFailure:
        return False


def hold_people(store: Store, source: LookupSource, chosen: Iterable[Candidate]) -> list[Candidate]:
    """Hold each chosen person here under their own id; those only a placeholder could be
    held for (their history is not here yet: say so to the call handler)."""
    placeholders = []
    for candidate in chosen:
        if _hold(source, candidate.person_id):
            continue
        placeholders.append(candidate)
        forename, surname = split_name(candidate.name)
        with store.session() as db:
            if db.get(Person, candidate.person_id) is None:
                db.add(
                    Person(
                        id=candidate.person_id,
                        forename=forename,
                        surname=surname,
                        dob=parse_dob(candidate.dob),
                        postcode=candidate.postcode,
                    )
                )
    return placeholders


@dataclass(frozen=True)
class CallPeople:
    """What the records say about the call's person at risk and suspect."""

    victim: History | None
    suspect: History | None

    @property
    def facts(self) -> dict[str, Any]:
        return facts_from_history(self.victim, self.suspect)

    @property
    def suspect_markers(self) -> list[str]:
        return list((self.suspect or {}).get("markers") or [])


def call_people(
    store: Store, user: User, incident_id: str, refresh: LookupSource | None = None
) -> CallPeople:
    """Both people's record as `user` may see it, the call itself left out (audited views).

    With `refresh`, the hub's copy of each is fetched first (when it answers), so a call
    reopened later reads what the hub holds now.
    """
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        if incident is None:
            raise KeyError(f"no incident {incident_id}")
        ids = (incident.victim_id, incident.suspect_id)
    if refresh is not None:
        for person_id in ids:
            if person_id:
                _hold(refresh, person_id)
    exclude = frozenset({incident_id})
    found: list[History | None] = []
    with store.session() as db:
        for person_id in ids:
            history = lookup.person_history(db, person_id, exclude=exclude) if person_id else None
            found.append(viewed(db, user, history, person_id) if person_id else None)
    return CallPeople(*found)
