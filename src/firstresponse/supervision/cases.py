"""Read the live records of one window as cases: an incident with its answers and decisions.

Shared by sampling, compliance figures and the review screen. Read-only; historic
(imported) incidents are not cases: only calls taken on the system are supervised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from firstresponse.records import (
    Assessment,
    Assignment,
    Child,
    Decision,
    Incident,
    PersonMarker,
    User,
)

#: Checklists whose submitted answers make up a case.
CASE_CHECKLISTS = ("thrive", "first_response", "risk")


@dataclass
class Case:
    """One live incident and everything recorded about it."""

    incident: Incident
    assessments: dict[str, Assessment] = field(default_factory=dict)  # checklist id -> latest
    decisions: list[Decision] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    victim_markers: set[str] = field(default_factory=set)
    suspect_markers: set[str] = field(default_factory=set)
    prior_incidents_12m: int = 0

    @property
    def id(self) -> str:
        return self.incident.id

    def answers(self, checklist_id: str) -> dict:
        found = self.assessments.get(checklist_id)
        return found.answers if found is not None else {}

    def result(self, checklist_id: str) -> dict:
        found = self.assessments.get(checklist_id)
        return found.result if found is not None else {}

    def author(self, checklist_id: str) -> str:
        found = self.assessments.get(checklist_id)
        return found.author if found is not None else ""

    @property
    def officer(self) -> str:
        """The attending officer (or, before attendance, the call handler)."""
        for checklist_id in ("first_response", "risk"):
            if self.author(checklist_id):
                return self.author(checklist_id)
        for assignment in self.assignments:
            if assignment.assignee:
                return assignment.assignee
        return self.author("thrive") or self.incident.created_by

    @property
    def police_workforce_suspect(self) -> bool:
        flagged = any(
            "police_workforce_suspect" in (a.result.get("flags") or [])
            for a in self.assessments.values()
        )
        return (
            self.incident.restricted
            or "police_workforce_suspect" in self.suspect_markers
            or flagged
        )


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def window(start: date, end: date) -> tuple[datetime, datetime]:
    """The half-open interval covering the days `start` to `end` inclusive."""
    return day_start(start), day_start(end + timedelta(days=1))


def aware(at: datetime) -> datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def load_cases(db: Session, start: datetime, end: datetime) -> list[Case]:
    """Every live incident that occurred in [start, end), oldest first, with its records."""
    incidents = db.exec(
        select(Incident)
        .where(Incident.occurred_at >= start, Incident.occurred_at < end)
        .where(Incident.status != "historic")
        .order_by(col(Incident.occurred_at), col(Incident.reference))
    ).all()
    return cases_for(db, list(incidents))


def load_case(db: Session, incident_id: str) -> Case | None:
    incident = db.get(Incident, incident_id)
    return cases_for(db, [incident])[0] if incident is not None else None


def _latest(rows: list[Assessment]) -> Assessment:
    return max(rows, key=lambda a: (a.version, aware(a.submitted_at or a.created_at)))


#: Incidents per batch of look-ups (keeps IN lists well inside database limits).
BATCH = 500


def cases_for(db: Session, incidents: list[Incident]) -> list[Case]:
    """The cases of these incidents, in the same order."""
    return [
        case
        for start in range(0, len(incidents), BATCH)
        for case in _batch(db, incidents[start : start + BATCH])
    ]


def _batch(db: Session, incidents: list[Incident]) -> list[Case]:
    cases = {i.id: Case(i) for i in incidents}
    ids = list(cases)
    if not ids:
        return []
    by_checklist: dict[tuple[str, str], list[Assessment]] = defaultdict(list)
    for a in db.exec(
        select(Assessment)
        .where(col(Assessment.incident_id).in_(ids))
        .where(Assessment.status == "submitted")
    ):
        by_checklist[(a.incident_id or "", a.checklist_id)].append(a)
    for (incident_id, checklist_id), rows in by_checklist.items():
        cases[incident_id].assessments[checklist_id] = _latest(rows)
    for d in db.exec(
        select(Decision).where(col(Decision.incident_id).in_(ids)).order_by(col(Decision.made_at))
    ):
        cases[d.incident_id or ""].decisions.append(d)
    for s in db.exec(select(Assignment).where(col(Assignment.incident_id).in_(ids))):
        cases[s.incident_id].assignments.append(s)
    for c in db.exec(select(Child).where(col(Child.incident_id).in_(ids))):
        cases[c.incident_id].children.append(c)
    people = {i.victim_id for i in incidents} | {i.suspect_id for i in incidents if i.suspect_id}
    markers: dict[str, set[str]] = defaultdict(set)
    for m in db.exec(select(PersonMarker).where(col(PersonMarker.person_id).in_(people))):
        markers[m.person_id].add(m.marker)
    earliest = min(aware(i.occurred_at) for i in incidents) - timedelta(days=365)
    history: dict[str, list[datetime]] = defaultdict(list)
    for victim_id, at in db.exec(
        select(Incident.victim_id, Incident.occurred_at)
        .where(col(Incident.victim_id).in_({i.victim_id for i in incidents}))
        .where(Incident.occurred_at >= earliest)
    ):
        history[victim_id].append(aware(at))
    for case in cases.values():
        inc = case.incident
        case.victim_markers = markers.get(inc.victim_id, set())
        case.suspect_markers = markers.get(inc.suspect_id or "", set())
        at = aware(inc.occurred_at)
        since = at - timedelta(days=365)
        case.prior_incidents_12m = sum(since <= t < at for t in history[inc.victim_id])
    return list(cases.values())


def teams(db: Session) -> dict[str, str]:
    """Collar number -> team name for every user."""
    return {u.collar: u.team for u in db.exec(select(User))}
