"""The responder terminal's entry points: each opens, and commits, its own transaction.

Screens call these with the store rather than opening sessions or building queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from firstresponse.attendance.assignments import (
    AssignmentView,
    assignments_for,
    attend_unassigned,
)
from firstresponse.attendance.drafts import (
    RISK,
    draft_for,
    drafts_for,
    history,
    open_draft,
    submitted_for,
)
from firstresponse.attendance.facts import facts_for
from firstresponse.attendance.outbox_view import OutboxLine, outbox_lines
from firstresponse.attendance.submit import submission_problems
from firstresponse.checklist import Checklist
from firstresponse.records import Assessment, Assignment, Incident
from firstresponse.store import Store


def incident_facts(store: Store, incident_id: str) -> dict[str, Any]:
    """What the store knows about the incident's people, for the checklists."""
    with store.session() as db:
        return facts_for(db, incident_id)


def my_assignments(store: Store, collar: str, team: str) -> list[AssignmentView]:
    with store.session() as db:
        return assignments_for(db, collar, team)


def record_attendance(store: Store, collar: str, **details: str) -> Assignment:
    """Attendance at an incident nobody sent this officer to (see `attend_unassigned`)."""
    with store.session() as db:
        return attend_unassigned(db, collar, **details)


def waiting_lines(store: Store) -> list[OutboxLine]:
    with store.session() as db:
        return outbox_lines(db)


def my_drafts(store: Store, incident_id: str, collar: str) -> list[Assessment]:
    with store.session() as db:
        return drafts_for(db, incident_id, collar)


def submitted(store: Store, incident_id: str) -> dict[str, Assessment]:
    """The newest submitted version of each checklist for the incident."""
    with store.session() as db:
        return submitted_for(db, incident_id)


@dataclass
class OpenedChecklist:
    """A checklist opened for an incident: the officer's draft, or (once submitted) the
    submitted version to read."""

    draft: Assessment | None
    submitted: Assessment | None


def open_checklist(
    store: Store, incident_id: str, checklist: Checklist, collar: str, facts: dict[str, Any]
) -> OpenedChecklist:
    """The officer's draft, started now unless the checklist is already submitted."""
    with store.session() as db:
        draft = draft_for(db, incident_id, checklist.id, collar)
        done = submitted_for(db, incident_id).get(checklist.id)
        if draft is None and done is None:
            draft = open_draft(db, incident_id, checklist, collar, facts)
        return OpenedChecklist(draft, done)


def risk_answers_for(store: Store, incident_id: str, collar: str) -> Assessment | None:
    """The risk checklist the risk screen reads: the officer's draft, else the submitted one."""
    with store.session() as db:
        return draft_for(db, incident_id, RISK, collar) or submitted_for(db, incident_id).get(RISK)


@dataclass
class IncidentOverview:
    """Everything the incident screen shows, read in one transaction."""

    incident: Incident | None
    assignment: AssignmentView | None
    drafts: dict[str, Assessment]
    submitted: dict[str, Assessment]
    versions: dict[str, list[Assessment]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def incident_overview(
    store: Store,
    incident_id: str,
    collar: str,
    team: str,
    checklists: Mapping[str, Checklist],
    facts: dict[str, Any],
) -> IncidentOverview:
    with store.session() as db:
        views = assignments_for(db, collar, team)
        drafts = {d.checklist_id: d for d in drafts_for(db, incident_id, collar)}
        done = submitted_for(db, incident_id)
        return IncidentOverview(
            incident=db.get(Incident, incident_id),
            assignment=next((v for v in views if v.incident_id == incident_id), None),
            drafts=drafts,
            submitted=done,
            versions={cid: history(db, row.id) for cid, row in done.items()},
            problems=(
                submission_problems(db, incident_id, collar, dict(checklists), facts)
                if drafts
                else []
            ),
        )
