"""Who receives the follow-through records (records.followup) and the submitted
assessments their lists are worked out from, sent on the lookup topic (`hub.feed`).

A record about an incident goes to control-room and supervisor terminals (or, for a
restricted incident, only to those allowed restricted records) and to the officers and
teams the incident was assigned to; a same-shift review also goes to the officer it is
about, and an assessment to its author (who may be on another terminal). A DVDS
application and its steps go to control-room and supervisor terminals and to the team
and officer who logged it; an application carries the people and (unless restricted)
incident it names, so a terminal that does not hold them can still file it. Terminals
file them as they file lookup records.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from firstresponse.hub.models import EVERYONE, RESTRICTED
from firstresponse.records import Assignment, DvdsApplication, Incident, Kind, Person

INCIDENT_KINDS = frozenset(
    {Kind.ASSESSMENT, Kind.HIGH_RISK_REVIEW, Kind.CASE_OUTCOME, Kind.VICTIM_CONTACT}
)
DVDS_KINDS = frozenset({Kind.DVDS_APPLICATION, Kind.DVDS_STEP})
KINDS = INCIDENT_KINDS | DVDS_KINDS
#: The officer a record about an incident also goes to, by the field naming them.
NAMED: dict[str, str] = {Kind.HIGH_RISK_REVIEW: "officer", Kind.ASSESSMENT: "author"}


def _incident_recipients(db: Session, incident_id: str) -> list[str]:
    incident = db.get(Incident, incident_id)
    wide = RESTRICTED if incident is not None and incident.restricted else EVERYONE
    assigned = db.exec(select(Assignment.assignee).where(Assignment.incident_id == incident_id))
    return [wide, *sorted({a for a in assigned if a})]


def _dvds_recipients(db: Session, application: Any) -> list[str]:
    if application is None:
        return [EVERYONE]
    return [EVERYONE, *sorted({n for n in (application.team, application.created_by) if n})]


def recipients(db: Session, kind: str, record: Any) -> list[str]:
    """Who receives this record, without repeats (nobody: a draft or unfiled assessment)."""
    if kind == Kind.ASSESSMENT and (record.status != "submitted" or not record.incident_id):
        return []
    if kind in INCIDENT_KINDS:
        found = _incident_recipients(db, record.incident_id)
        named = NAMED.get(kind)
        if named and getattr(record, named):
            found.append(getattr(record, named))
    elif kind == Kind.DVDS_APPLICATION:
        found = _dvds_recipients(db, record)
    else:
        found = _dvds_recipients(db, db.get(DvdsApplication, record.application_id))
    return list(dict.fromkeys(found))


def dependants(db: Session, application: DvdsApplication) -> tuple[Incident | None, list[Person]]:
    """The incident (unless restricted) and the people a DVDS application refers to."""
    wanted = [application.victim_id, application.subject_id]
    incident = None
    if application.incident_id:
        incident = db.get(Incident, application.incident_id, populate_existing=True)
        if incident is not None and incident.restricted:  # never widen a restricted case
            incident = None
        if incident is not None:
            wanted += [incident.victim_id, incident.suspect_id]
    people = (db.get(Person, pid, populate_existing=True) for pid in dict.fromkeys(wanted) if pid)
    return incident, [person for person in people if person is not None]
