"""Feed entries for the follow-through records (records.followup), sent on the lookup topic.

A record about an incident goes to control-room and supervisor terminals (or, for a
restricted incident, only to those allowed restricted records) and to the officers and
teams the incident was assigned to; a same-shift review also goes to the officer it is
about. A DVDS application and its steps go to control-room and supervisor terminals and
to the team and officer who logged it. Terminals file them as they file lookup records.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from firstresponse.records import Assignment, DvdsApplication, Incident

INCIDENT_KINDS = frozenset({"highriskreview", "caseoutcome", "victimcontact"})
DVDS_KINDS = frozenset({"dvdsapplication", "dvdsstep"})
KINDS = INCIDENT_KINDS | DVDS_KINDS


def _incident_recipients(db: Session, incident_id: str) -> list[str]:
    from firstresponse.hub.feed import EVERYONE, RESTRICTED

    incident = db.get(Incident, incident_id)
    wide = RESTRICTED if incident is not None and incident.restricted else EVERYONE
    assigned = db.exec(select(Assignment.assignee).where(Assignment.incident_id == incident_id))
    return [wide, *sorted({a for a in assigned if a})]


def _dvds_recipients(db: Session, application: Any) -> list[str]:
    from firstresponse.hub.feed import EVERYONE

    if application is None:
        return [EVERYONE]
    return [EVERYONE, *sorted({n for n in (application.team, application.created_by) if n})]


def recipients(db: Session, kind: str, record: Any) -> list[str]:
    """Who receives this record, without repeats."""
    if kind in INCIDENT_KINDS:
        found = _incident_recipients(db, record.incident_id)
        if kind == "highriskreview" and record.officer:
            found.append(record.officer)
    elif kind == "dvdsapplication":
        found = _dvds_recipients(db, record)
    else:
        found = _dvds_recipients(db, db.get(DvdsApplication, record.application_id))
    return list(dict.fromkeys(found))


def entries(db: Session, kind: str, record: Any) -> list[dict[str, Any]]:
    """One lookup-topic feed entry per recipient of a follow-through record."""
    from firstresponse.hub.feed import dump, entry

    body = {"kind": kind, "record": dump(record)}
    return [entry(db, "lookup", who, record.id, body) for who in recipients(db, kind, record)]
