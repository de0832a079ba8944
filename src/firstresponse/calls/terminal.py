"""The call handler terminal's entry points: each opens, and commits, its own transaction.

Screens call these with the store rather than opening sessions or building queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from firstresponse.calls.assign import assign_call, unassigned
from firstresponse.calls.briefing import briefing_for
from firstresponse.calls.details import CallDetails
from firstresponse.calls.grading import Graded, Override, grade_call, verify_supervisor
from firstresponse.calls.intake import open_call, shift_calls
from firstresponse.calls.people import hold_people
from firstresponse.calls.safety import record_safety_advice
from firstresponse.calls.sources import Candidate, LookupSource
from firstresponse.checklist import Checklist, Evaluation
from firstresponse.records import Assessment, Assignment, Incident, Person, User
from firstresponse.store import Store


@dataclass(frozen=True)
class CallLine:
    """One of this shift's calls, as the call handler's list shows it."""

    incident_id: str
    occurred_at: Any
    reference: str
    person_at_risk: str
    grade: str
    restricted: bool
    status: str
    #: Graded to send someone, but nobody was named (`a` on the list assigns it).
    unassigned: bool = False


def shift_call_lines(store: Store) -> list[CallLine]:
    with store.session() as db:
        lines = []
        for incident in shift_calls(db):
            victim = db.get(Person, incident.victim_id)
            lines.append(
                CallLine(
                    incident.id,
                    incident.occurred_at,
                    incident.reference,
                    victim.full_name if victim else "?",
                    incident.grade or "",
                    incident.restricted,
                    incident.status,
                    unassigned(db, incident.id) is not None,
                )
            )
        return lines


@dataclass(frozen=True)
class CallRecord:
    """A call with its person at risk and, once graded, its assignment."""

    incident: Incident
    victim: Person | None
    assignment: Assignment | None


def call_record(store: Store, incident_id: str) -> CallRecord | None:
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        if incident is None:
            return None
        query = select(Assignment).where(Assignment.incident_id == incident_id)
        return CallRecord(incident, db.get(Person, incident.victim_id), db.exec(query).first())


def start_call(
    store: Store,
    user: User,
    details: CallDetails,
    *,
    victim: Candidate | None,
    suspect: Candidate | None,
    force_code: str,
    source: LookupSource,
    children: Sequence[Candidate] = (),
) -> StartedCall:
    """Open the incident for a live call (see `open_call`), each person chosen from the
    lookup's matches (victim, suspect, `children`) held here first under their own id (see
    `hold_people`)."""
    chosen = [person for person in (victim, suspect) if person is not None] + list(children)
    placeholders = hold_people(store, source, chosen)
    with store.session() as db:
        incident = open_call(
            db,
            user,
            details,
            victim_id=victim.person_id if victim else None,
            suspect_id=suspect.person_id if suspect else None,
            force_code=force_code,
        )
    return StartedCall(incident, [p.name for p in placeholders])


@dataclass(frozen=True)
class StartedCall:
    """The call's incident, and the chosen people whose history could not be fetched."""

    incident: Incident
    without_history: list[str]


def preview_briefing(
    store: Store,
    incident_id: str,
    answers: dict[str, Any],
    ev: Evaluation,
    history: dict[str, Any] | None,
    suspect_markers: list[str],
    *,
    restricted: bool,
    checklist: Checklist,
) -> dict[str, Any]:
    """The briefing attending officers would receive, built without recording anything."""
    with store.session() as db:
        incident = db.get(Incident, incident_id)
        if incident is None:
            raise KeyError(f"no incident {incident_id}")
        return briefing_for(
            db,
            incident,
            answers,
            ev,
            history,
            suspect_markers,
            restricted=restricted,
            checklist=checklist,
        )


def grade(
    store: Store,
    user: User,
    incident_id: str,
    checklist: Checklist,
    answers: dict[str, Any],
    facts: dict[str, Any],
    *,
    override: Override | None,
    history: dict[str, Any] | None,
    suspect_markers: list[str],
    assignee: str,
) -> Graded:
    """Record the grade and send the briefing (see `grade_call`); raises `GradeRefused`."""
    with store.session() as db:
        return grade_call(
            db,
            user,
            incident_id,
            checklist,
            answers,
            facts,
            override=override,
            history=history,
            suspect_markers=suspect_markers,
            assignee=assignee,
        )


def assign(store: Store, user: User, incident_id: str, assignee: str) -> Assignment:
    """Send a call graded with nobody named (see `assign_call`); raises `AssignRefused`."""
    with store.session() as db:
        return assign_call(db, user, incident_id, assignee)


def check_supervisor(store: Store, override: Override) -> User:
    """The supervisor agreeing an override, PIN checked; raises `GradeRefused`."""
    with store.session() as db:
        return verify_supervisor(db, override)


def save_safety_advice(
    store: Store, user: User, incident_id: str, checklist: Checklist, answers: dict[str, Any]
) -> Assessment:
    with store.session() as db:
        return record_safety_advice(db, user, incident_id, checklist, answers)
