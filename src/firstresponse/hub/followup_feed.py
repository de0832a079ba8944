"""Who receives each record about an incident, and the DVDS records, on the lookup topic
(`hub.feed`); terminals file them as they file lookup records.

An incident and its children go to its readers (`incident_readers`): every control-room
and supervisor terminal, or for a restricted incident only those allowed restricted
records and its call handler; and the officers and teams it is assigned to. Every other
record about an incident (the orders made at the scene, submitted assessments, the
decisions that reduced protection, dip-sample and same-shift reviews, case outcomes,
victim contacts) goes to the same terminals, though not to a restricted incident's call
handler, and also to the officer it names: a decision to whoever made it, an assessment
to its author, a review to the officer reviewed (who may each be on another terminal).
So a supervisor's terminal holds the work of every terminal the hub lets it see, and a
responder's holds only the incidents they or their team were sent to.

A DVDS application and its steps go to control-room and supervisor terminals and to the
team and officer who logged it; an application carries the people and (unless restricted)
incident it names, so a terminal that does not hold them can still file it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from firstresponse.hub.models import EVERYONE, RESTRICTED
from firstresponse.records import DvdsApplication, Incident, Kind, Person

#: Each kind about an incident and the field naming the incident (a review's subject is
#: an incident when its `subject_kind` says so).
INCIDENT_FIELD: dict[str, str] = {
    Kind.CHILD: "incident_id",
    Kind.ORDER: "incident_id",
    Kind.ASSESSMENT: "incident_id",
    Kind.DECISION: "incident_id",
    Kind.REVIEW: "subject_id",
    Kind.HIGH_RISK_REVIEW: "incident_id",
    Kind.CASE_OUTCOME: "incident_id",
    Kind.ORDER_OUTCOME: "incident_id",
    Kind.VICTIM_CONTACT: "incident_id",
}
#: The officer a record about an incident also goes to, by the field naming them.
NAMED: dict[str, str] = {
    Kind.ASSESSMENT: "author",
    Kind.DECISION: "made_by",
    Kind.REVIEW: "officer",
    Kind.HIGH_RISK_REVIEW: "officer",
}
DVDS_KINDS = frozenset({Kind.DVDS_APPLICATION, Kind.DVDS_STEP})
#: The kinds whose recipients are worked out here (children go as their incident does).
KINDS = (frozenset(INCIDENT_FIELD) - {Kind.CHILD}) | DVDS_KINDS


def incident_of(kind: str, record: Any) -> str | None:
    """The id of the incident a record is about, if it names one."""
    name = INCIDENT_FIELD.get(kind)
    if name is None or (kind == Kind.REVIEW and record.subject_kind != "incident"):
        return None
    return getattr(record, name) or None


def incident_readers(incident: Any, assignees: set[str]) -> list[str]:
    """Who receives an incident and its children: every terminal, or for a restricted one
    only those allowed restricted records and its call handler (who holds it already: the
    call list follows its status); and the officers and teams it is assigned to."""
    wide = [EVERYONE]
    if incident.restricted:
        wide = [RESTRICTED, *([incident.created_by] if incident.created_by else [])]
    return list(dict.fromkeys([*wide, *sorted(assignees)]))


def about_incident(kind: str, record: Any, incident: Any, assignees: set[str]) -> list[str]:
    """Who receives a record about `incident` (the hub's row, or None when the record
    names none), without repeats; nobody for a draft or an unfiled assessment. A record
    naming an incident the hub does not hold goes only where restricted records may."""
    if kind == Kind.ASSESSMENT and (record.status != "submitted" or not record.incident_id):
        return []
    if incident is None:
        wide = RESTRICTED if incident_of(kind, record) else EVERYONE
    else:
        wide = RESTRICTED if incident.restricted else EVERYONE
    found = [wide, *sorted(a for a in assignees if a)]
    named = getattr(record, NAMED[kind], "") if kind in NAMED else ""
    if named:
        found.append(named)
    return list(dict.fromkeys(found))


def _dvds_recipients(application: Any) -> list[str]:
    if application is None:
        return [EVERYONE]
    return [EVERYONE, *sorted({n for n in (application.team, application.created_by) if n})]


def dvds_recipients(db: Session, kind: str, record: Any) -> list[str]:
    """Who receives a DVDS application or step, without repeats."""
    if kind == Kind.DVDS_APPLICATION:
        found = _dvds_recipients(record)
    else:
        found = _dvds_recipients(db.get(DvdsApplication, record.application_id))
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
